package io.github.chatmemory.autoconfigure;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.summary.ChatMemorySummarizer;
import io.github.chatmemory.summary.ChatModelSummarizer;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the summaries part of {@link ChatMemoryAutoConfiguration}: off by default, on
 * with the application's summarizer or its chat model, and a clear startup failure
 * without either or with a bad value.
 */
class ChatMemorySummaryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class))
		.withPropertyValues("chat-memory.store=in-memory", "chat-memory.window.max-messages=2");

	@Test
	void offByDefault() {
		this.contextRunner.withBean(ChatModel.class, ChatMemorySummaryAutoConfigurationTests::chatModel)
			.run((context) -> assertThat(context.getBean(ChatMemoryManager.class).isSummarizing()).isFalse());
	}

	@Test
	void summarizesWithTheChatModelWhenOn() {
		AtomicReference<Prompt> asked = new AtomicReference<>();
		this.contextRunner.withPropertyValues("chat-memory.summary.enabled=true",
				"chat-memory.summary.options.model=small-model")
			.withBean(ChatModel.class, () -> (ChatModel) (prompt) -> {
				asked.set(prompt);
				return new ChatResponse(List.of(new Generation(new AssistantMessage("They talked about dogs."))));
			})
			.run((context) -> {
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				assertThat(manager.isSummarizing()).isTrue();
				conversation(manager);
				StoredSummary summary = manager.summarize("s-1");
				assertThat(summary.text()).isEqualTo("They talked about dogs.");
				assertThat(summary.model()).isEqualTo("small-model");
				assertThat(asked.get().getOptions().getModel()).isEqualTo("small-model");
				assertThat(asked.get().getOptions().getMaxTokens()).isEqualTo(1000);
				assertThat(asked.get().getInstructions().get(0).getText())
					.isEqualTo(ChatModelSummarizer.INSTRUCTIONS.formatted(500));
				assertThat(asked.get().getInstructions().get(1).getText())
					.contains("Existing summary:\n(none yet)", "user: question 0", "assistant: answer 0");
			});
	}

	/**
	 * A model that needs the chat memory, as Spring AI's models do through their tool
	 * callbacks when the conversation_search tool is one: the summarizer takes the model
	 * when it first summarizes, so the two beans make no cycle.
	 */
	@Test
	void summarizesWithAChatModelThatNeedsTheChatMemory() {
		this.contextRunner.withPropertyValues("chat-memory.summary.enabled=true")
			.withUserConfiguration(ModelNeedingTheMemory.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				conversation(manager);
				assertThat(manager.summarize("s-1").text()).isEqualTo("summary");
			});
	}

	@Test
	void summarizesWithThePrimaryOfTwoChatModels() {
		this.contextRunner.withPropertyValues("chat-memory.summary.enabled=true")
			.withBean("other", ChatModel.class,
					() -> (ChatModel) (prompt) -> new ChatResponse(List.of(new Generation(new AssistantMessage("other")))))
			.withBean("primary", ChatModel.class, ChatMemorySummaryAutoConfigurationTests::chatModel,
					(definition) -> definition.setPrimary(true))
			.run((context) -> {
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				conversation(manager);
				assertThat(manager.summarize("s-1").text()).isEqualTo("summary");
			});
	}

	@Test
	void twoChatModelsWithoutAPrimaryFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("chat-memory.summary.enabled=true")
			.withBean("one", ChatModel.class, ChatMemorySummaryAutoConfigurationTests::chatModel)
			.withBean("two", ChatModel.class, ChatMemorySummaryAutoConfigurationTests::chatModel)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidChatMemoryPropertyException.class)
					.hasMessageContaining("chat-memory.summary.enabled");
			});
	}

	@Test
	void theApplicationsSummarizerWins() {
		this.contextRunner.withPropertyValues("chat-memory.summary.enabled=true")
			.withBean(ChatMemorySummarizer.class,
					() -> (request) -> new ChatMemorySummarizer.Summary("own summary", "own"))
			.run((context) -> {
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				conversation(manager);
				assertThat(manager.summarize("s-1").text()).isEqualTo("own summary");
			});
	}

	@Test
	void onWithoutSummarizerOrChatModelFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("chat-memory.summary.enabled=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidChatMemoryPropertyException.class)
				.hasMessageContaining("chat-memory.summary.enabled");
		});
	}

	@Test
	void badValueFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("chat-memory.summary.enabled=true", "chat-memory.summary.trigger-tokens=0")
			.withBean(ChatModel.class, ChatMemorySummaryAutoConfigurationTests::chatModel)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("chat-memory.summary.trigger-tokens");
			});
	}

	private static void conversation(ChatMemoryManager manager) {
		for (int i = 0; i < 3; i++) {
			manager.appendMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "question " + i),
					NewMessage.of(MessageRole.ASSISTANT, "answer " + i)), true);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ModelNeedingTheMemory {

		@Bean
		ChatModel chatModel(ChatMemoryManager manager) {
			return ChatMemorySummaryAutoConfigurationTests.chatModel();
		}

	}

	private static ChatModel chatModel() {
		return (prompt) -> new ChatResponse(List.of(new Generation(new AssistantMessage("summary"))));
	}

}
