package io.github.chatmemory.springai;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.window.MessageTokenCounter;
import io.github.chatmemory.window.WindowPolicy;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AbstractMessage;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.tokenizer.JTokkitTokenCountEstimator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StoreBackedChatMemoryRepository} and {@link StoreBackedChatMemory}:
 * Spring AI messages survive the round trip whole.
 */
class StoreBackedChatMemoryRepositoryTests {

	private final ChatMemoryManager manager = new ChatMemoryManager(
			new InMemoryChatMemoryStore(100, 1000, Clock.systemUTC()), ValidationRules.defaults());

	private final ChatMemoryRepository repository = new StoreBackedChatMemoryRepository(this.manager);

	private final List<Message> conversation = List.of(new SystemMessage("Be brief."),
			UserMessage.builder().text("Weather in ปาย? 🌧️").metadata(Map.of("client", "web")).build(),
			AssistantMessage.builder()
				.content("")
				.properties(Map.of("finishReason", "TOOL_CALLS"))
				.toolCalls(List.of(new AssistantMessage.ToolCall("call-1", "function", "weather", "{\"city\":\"Pai\"}")))
				.build(),
			ToolResponseMessage.builder()
				.responses(List.of(new ToolResponseMessage.ToolResponse("call-1", "weather", "{\"temp\":24}")))
				.build(),
			new AssistantMessage("24°C in Pai."));

	@Test
	void saveAllAndFindKeepToolCallsToolResponsesAndMetadata() {
		this.repository.saveAll("c-1", this.conversation);
		// read back equal to what was written: no store keys in the metadata
		assertThat(this.repository.findByConversationId("c-1")).containsExactlyElementsOf(this.conversation);
		assertThat(this.repository.findConversationIds()).containsExactly("c-1");
	}

	@Test
	void saveAllReplacesTheConversation() {
		this.repository.saveAll("c-1", this.conversation);
		this.repository.saveAll("c-1", List.of(new UserMessage("only this")));
		assertThat(this.repository.findByConversationId("c-1")).extracting(Message::getText)
			.containsExactly("only this");
		this.repository.deleteByConversationId("c-1");
		assertThat(this.repository.findByConversationId("c-1")).isEmpty();
		assertThat(this.repository.findConversationIds()).isEmpty();
	}

	@Test
	void springAiMessageWindowChatMemoryBehavesAsOnItsOwnRepository() {
		ChatMemory onThisRepository = MessageWindowChatMemory.builder()
			.chatMemoryRepository(this.repository)
			.maxMessages(3)
			.build();
		ChatMemory onSpringAiRepository = MessageWindowChatMemory.builder()
			.chatMemoryRepository(new InMemoryChatMemoryRepository())
			.maxMessages(3)
			.build();
		for (ChatMemory memory : List.of(onThisRepository, onSpringAiRepository)) {
			memory.add("c-1", new UserMessage("one"));
			memory.add("c-1", new AssistantMessage("two"));
			memory.add("c-1", new UserMessage("three"));
			memory.add("c-1", new AssistantMessage("four"));
		}
		assertThat(onThisRepository.get("c-1")).extracting(Message::getText)
			.isEqualTo(onSpringAiRepository.get("c-1").stream().map(Message::getText).toList())
			.contains("four");
	}

	@Test
	void chatMemoryWindowPinsTheSystemMessageAndAddsAsSpringAiDoes() {
		ChatMemoryManager threeMessages = ChatMemoryManager.builder(this.manager.getStore())
		.defaultWindowPolicy(WindowPolicy.ofMessages(3).withStartOnUserMessage(false))
		.tokenCounter(new MessageTokenCounter(new JTokkitTokenCountEstimator()))
		.build();
		ChatMemory chatMemory = new StoreBackedChatMemory(threeMessages);
		chatMemory.add("c-1", this.conversation);
		List<Message> window = chatMemory.get("c-1");
		// the tool call and its response do not both fit, so neither is sent
		assertThat(window).containsExactly(this.conversation.get(0), this.conversation.get(4));
		assertThat(new StoreBackedChatMemory(this.manager).get("c-1")).containsExactlyElementsOf(this.conversation);
		// add appends, as Spring AI's memories do; the repository's saveAll is the
		// operation that recognises messages already stored
		chatMemory.add("c-1", List.of(new UserMessage("again")));
		assertThat(this.manager.getSession("c-1").messageCount()).isEqualTo(6);
		chatMemory.clear("c-1");
		assertThat(chatMemory.get("c-1")).isEmpty();
	}

}
