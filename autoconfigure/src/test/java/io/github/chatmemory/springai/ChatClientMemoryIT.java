package io.github.chatmemory.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link ChatClient} with {@link MessageChatMemoryAdvisor} over the auto-configured
 * memory on a real Redis: the second prompt carries the first turn.
 */
class ChatClientMemoryIT {

	@Test
	void secondPromptCarriesTheFirstTurn() {
		TestRedis.Endpoint redis = TestRedis.endpoint();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, ChatMemoryAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"chat-memory.redis.key-prefix=test:" + UUID.randomUUID() + ":")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisChatMemoryStore.class);
				RecordingChatModel model = new RecordingChatModel();
				ChatClient client = ChatClient.builder(model)
					.defaultAdvisors(MessageChatMemoryAdvisor.builder(context.getBean(ChatMemory.class)).build())
					.build();
				String conversation = "conv-" + UUID.randomUUID();
				client.prompt()
					.user("My name is Ada.")
					.advisors((advisor) -> advisor.param(ChatMemory.CONVERSATION_ID, conversation))
					.call()
					.content();
				client.prompt()
					.user("What is my name?")
					.advisors((advisor) -> advisor.param(ChatMemory.CONVERSATION_ID, conversation))
					.call()
					.content();

				List<Message> secondPrompt = model.prompts.get(1).getInstructions();
				assertThat(secondPrompt).extracting(Message::getText)
					.containsExactly("My name is Ada.", "reply 1", "What is my name?");
				assertThat(context.getBean(io.github.chatmemory.ChatMemoryManager.class)
					.getSession(conversation)
					.messageCount()).isEqualTo(4);
			});
	}

	static class RecordingChatModel implements ChatModel {

		final List<Prompt> prompts = new ArrayList<>();

		@Override
		public ChatResponse call(Prompt prompt) {
			this.prompts.add(prompt);
			return new ChatResponse(List.of(new Generation(new AssistantMessage("reply " + this.prompts.size()))));
		}

	}

}
