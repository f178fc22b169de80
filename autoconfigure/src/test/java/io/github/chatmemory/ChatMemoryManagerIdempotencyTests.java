package io.github.chatmemory;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.springai.StoreBackedChatMemory;
import io.github.chatmemory.springai.StoreBackedChatMemoryRepository;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ChatMemoryManager}'s idempotent appends: the same message again is a
 * no-op, a different message under a known id is a conflict.
 */
class ChatMemoryManagerIdempotencyTests {

	private final ChatMemoryManager manager = new ChatMemoryManager(
			new InMemoryChatMemoryStore(100, 1000, Clock.systemUTC()), ValidationRules.defaults());

	@Test
	void sameMessageAgainReturnsTheStoredOne() {
		this.manager.createSession(new NewSession("s", "ada", "", Map.of()));
		this.manager.appendMessage("s", NewMessage.of(MessageRole.USER, "weather?").withId("q"));
		NewMessage message = new NewMessage("m-1", MessageRole.ASSISTANT, "hi", Map.of("n", 1, "f", 1.5), "q",
				List.of(new ToolCall("c", "function", "weather", "{}")), List.of());
		StoredMessage first = this.manager.appendMessage("s", message);
		assertThat(this.manager.appendMessage("s", message)).isEqualTo(first);
		assertThat(this.manager.getSession("s").messageCount()).isEqualTo(2);
	}

	@Test
	void differentMessageUnderAKnownIdIsAConflict() {
		this.manager.createSession(new NewSession("s", "ada", "", Map.of()));
		NewMessage message = NewMessage.of(MessageRole.USER, "hello").withId("m-1");
		this.manager.appendMessage("s", message);
		List<NewMessage> changed = List.of(NewMessage.of(MessageRole.USER, "changed").withId("m-1"),
				NewMessage.of(MessageRole.SYSTEM, "hello").withId("m-1"),
				message.withMetadata(Map.of("k", "v")),
				new NewMessage("m-1", MessageRole.USER, "hello", Map.of(), "other", List.of(), List.of()));
		for (NewMessage different : changed) {
			assertThatExceptionOfType(IdempotencyConflictException.class)
				.isThrownBy(() -> this.manager.appendMessage("s", different))
				.satisfies((ex) -> assertThat(ex.getMessageId()).isEqualTo("m-1"));
		}
		assertThat(this.manager.getMessages("s", MessageQuery.latest(10))).singleElement()
			.satisfies((stored) -> assertThat(stored.content()).isEqualTo("hello"));
	}

	@Test
	void springAiWritingBackWhatItReadIsNoConflict() {
		ChatMemory memory = new StoreBackedChatMemory(this.manager);
		StoreBackedChatMemoryRepository repository = new StoreBackedChatMemoryRepository(this.manager);
		memory.add("c", List.of(new UserMessage("hello"), new AssistantMessage("hi")));
		List<Message> read = memory.get("c");
		List<String> ids = this.manager.getAllMessages("c").stream().map(StoredMessage::id).toList();
		// saving back what was read keeps the stored messages, ids included
		repository.saveAll("c", read);
		assertThat(this.manager.getAllMessages("c")).extracting(StoredMessage::id).isEqualTo(ids);
		// messages read back carry no ids (they equal what was written), so adding them
		// appends, as with Spring AI's own memories
		memory.add("c", read);
		assertThat(memory.get("c")).hasSize(4);
	}

	@Test
	void aReplacementThatInsertsBeforeAStoredMessageKeepsItsIdAndTime() {
		// attack on issue 13: a candidate compared and not matched was dropped for later messages
		this.manager.appendMessages("s", List.of(new NewMessage(null, MessageRole.USER, "hi", Map.of("k", 1), null,
				List.of(), List.of())), true);
		StoredMessage original = this.manager.getAllMessages("s").get(0);
		List<StoredMessage> replaced = this.manager.replaceMessages("s",
				List.of(new NewMessage(null, MessageRole.USER, "hi", Map.of("k", 2), null, List.of(), List.of()),
						new NewMessage(null, MessageRole.USER, "hi", Map.of("k", 1), null, List.of(), List.of())));
		assertThat(replaced.get(1).id()).isEqualTo(original.id());
		assertThat(replaced.get(1).createdAt()).isEqualTo(original.createdAt());
		assertThat(replaced.get(0).id()).isNotEqualTo(original.id());
	}

}
