package io.github.chatmemory.autoconfigure;

import java.util.List;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.springai.StoreBackedChatMemory;
import io.github.chatmemory.springai.StoreBackedChatMemoryRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.model.chat.memory.repository.jdbc.autoconfigure.JdbcChatMemoryRepositoryAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of this starter next to Spring AI's own chat memory auto-configurations: its
 * in-memory {@code MessageWindowChatMemory} backs off, and a repository starter (JDBC
 * here, on an embedded H2) keeps its repository while {@link ChatMemory} stays this
 * starter's.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringAiCoexistenceTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class,
				org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration.class));

	@Test
	void springAiInMemoryChatMemoryBacksOff() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ChatMemoryRepository.class).hasSingleBean(ChatMemory.class);
			assertThat(context).doesNotHaveBean(InMemoryChatMemoryRepository.class)
				.doesNotHaveBean(MessageWindowChatMemory.class);
			assertThat(context.getBean(ChatMemoryRepository.class)).isInstanceOf(StoreBackedChatMemoryRepository.class);
			assertThat(context.getBean(ChatMemory.class)).isInstanceOf(StoreBackedChatMemory.class);
		});
	}

	@Test
	void springAiJdbcRepositoryIsTheRepositoryAndChatMemoryStaysOurs(CapturedOutput output) {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(JdbcChatMemoryRepositoryAutoConfiguration.class,
					DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:coexistence;DB_CLOSE_DELAY=-1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// one candidate each, so injection by type is never ambiguous
				assertThat(context).hasSingleBean(ChatMemoryRepository.class).hasSingleBean(ChatMemory.class);
				ChatMemoryRepository repository = context.getBean(ChatMemoryRepository.class);
				assertThat(repository).isInstanceOf(JdbcChatMemoryRepository.class);
				ChatMemory chatMemory = context.getBean(ChatMemory.class);
				assertThat(chatMemory).isInstanceOf(StoreBackedChatMemory.class);

				// each keeps its own conversations
				chatMemory.add("ours", new UserMessage("kept by chat memory"));
				repository.saveAll("theirs", List.<Message>of(new UserMessage("kept by JDBC")));
				assertThat(chatMemory.get("ours")).extracting(Message::getText).containsExactly("kept by chat memory");
				assertThat(repository.findByConversationId("theirs")).extracting(Message::getText)
					.containsExactly("kept by JDBC");
				assertThat(repository.findConversationIds()).containsExactly("theirs");
				assertThat(context.getBean(ChatMemoryManager.class).findSession("theirs")).isEmpty();
				// and the application is told so at start-up (review of issue 13)
				assertThat(output).contains("they do not share conversations")
					.contains(JdbcChatMemoryRepository.class.getName());
			});
	}

}
