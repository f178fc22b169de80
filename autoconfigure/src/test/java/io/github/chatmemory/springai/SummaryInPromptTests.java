package io.github.chatmemory.springai;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.summary.ChatMemorySummarizer;
import io.github.chatmemory.summary.SummarySettings;
import io.github.chatmemory.test.CharacterTokenEstimator;
import io.github.chatmemory.window.MessageTokenCounter;
import io.github.chatmemory.window.WindowPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a summary reaches the model through {@link StoreBackedChatMemory#get} and Spring
 * AI's {@link MessageChatMemoryAdvisor}: after the application's system prompt, before
 * the newest messages, once, in every round of a tool loop. As a system message of its
 * own it failed here: the advisor left the application's system prompt in the middle and
 * sent the memory twice in the second round of the loop.
 */
class SummaryInPromptTests {

	private final ChatMemoryManager manager = ChatMemoryManager.builder(new InMemoryChatMemoryStore(100, 10_000,
			java.time.Clock.systemUTC()))
		.defaultWindowPolicy(WindowPolicy.ofMessages(8))
		.tokenCounter(new MessageTokenCounter(new CharacterTokenEstimator()))
		.summaries((request) -> new ChatMemorySummarizer.Summary("The user is John and likes dogs.", "test"),
				new SummarySettings(1_000_000, 100, 100, 1_000_000, Duration.ofSeconds(10)))
		.build();

	private final ChatMemory chatMemory = new StoreBackedChatMemory(this.manager);

	@AfterEach
	void close() {
		this.manager.close();
	}

	@Test
	void summaryComesAfterTheApplicationsSystemPromptInEveryRoundOfAToolLoop() {
		String conversationId = summarizedConversation();
		ScriptedChatModel chatModel = new ScriptedChatModel("You are welcome.");
		ChatClient chatClient = ChatClient.builder(chatModel)
			.defaultSystem("Default system text.")
			.defaultAdvisors(ToolCallingAdvisor.builder().disableInternalConversationHistory().build(),
					MessageChatMemoryAdvisor.builder(this.chatMemory).order(1000).build())
			.build();

		String response = chatClient.prompt()
			.user(ScriptedChatModel.WEATHER_QUESTION)
			.tools(ScriptedChatModel.weatherTool())
			.advisors((a) -> a.param(ChatMemory.CONVERSATION_ID, conversationId))
			.call()
			.content();

		assertThat(response).contains("30", "10", "15");
		assertThat(chatModel.prompts).hasSize(3);
		for (Prompt prompt : chatModel.prompts) {
			List<Message> instructions = prompt.getInstructions();
			assertThat(instructions.get(0).getText()).isEqualTo("Default system text.");
			assertThat(instructions).filteredOn((message) -> message.getMessageType() == MessageType.SYSTEM)
				.extracting(Message::getText)
				.containsExactly("Default system text.");
			assertThat(instructions.get(1).getText())
				.isEqualTo("Summary of the earlier conversation:\nThe user is John and likes dogs.");
			assertThat(instructions).filteredOn((message) -> message.getText() != null
					&& message.getText().startsWith("Summary of the earlier conversation")).hasSize(1);
			assertThat(instructions).filteredOn((message) -> ScriptedChatModel.WEATHER_QUESTION
				.equals(message.getText())).hasSize(1);
		}
	}

	@Test
	void summaryIsJoinedToThePinnedSystemMessage() {
		String conversationId = "c-" + UUID.randomUUID();
		this.manager.appendMessages(conversationId, List.of(NewMessage.of(MessageRole.SYSTEM, "Be brief.")), true);
		turns(conversationId, 6);
		StoredSummary summary = this.manager.summarize(conversationId);

		List<Message> memory = this.chatMemory.get(conversationId);
		assertThat(memory).filteredOn(SystemMessage.class::isInstance).hasSize(1);
		assertThat(memory.get(0).getText())
			.isEqualTo("Be brief.\n\nSummary of the earlier conversation:\nThe user is John and likes dogs.");
		assertThat(memory.get(0).getMetadata()).containsEntry(SpringAiMessages.SUMMARY_ID, summary.id());
		// read twice, equal twice: the advisor's check for memory already in the prompt holds
		assertThat(this.chatMemory.get(conversationId)).isEqualTo(memory);
	}

	private String summarizedConversation() {
		String conversationId = "c-" + UUID.randomUUID();
		turns(conversationId, 6);
		StoredSummary summary = this.manager.summarize(conversationId);
		assertThat(summary.toSequence()).isEqualTo(4);
		assertThat(this.chatMemory.get(conversationId)).first()
			.isInstanceOf(UserMessage.class)
			.extracting(Message::getMetadata)
			.isEqualTo(Map.of(SpringAiMessages.SUMMARY_ID, summary.id(), "messageType", MessageType.USER));
		return conversationId;
	}

	private void turns(String conversationId, int count) {
		for (int i = 0; i < count; i++) {
			this.manager.appendMessages(conversationId, List.of(NewMessage.of(MessageRole.USER, "question " + i),
					NewMessage.of(MessageRole.ASSISTANT, "answer " + i)), true);
		}
	}

}
