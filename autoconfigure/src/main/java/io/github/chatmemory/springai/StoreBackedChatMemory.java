package io.github.chatmemory.springai;

import java.util.List;

import io.github.chatmemory.ChatMemoryManager;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.Message;

/**
 * Spring AI's {@link ChatMemory} on a chat memory store: {@link #add} appends (one round
 * trip on Redis, whatever the history length) and {@link #get} returns the context
 * window of the manager's default {@link io.github.chatmemory.window.WindowPolicy}; the
 * full history stays in the store.
 */
public class StoreBackedChatMemory implements ChatMemory {

	private final ChatMemoryManager manager;

	/**
	 * Create a chat memory.
	 * @param manager the manager over the store
	 */
	public StoreBackedChatMemory(ChatMemoryManager manager) {
		this.manager = manager;
	}

	/**
	 * Append the messages, as Spring AI's memories do: adding a message twice stores it
	 * twice. Retries that must not duplicate go through
	 * {@link ChatMemoryManager#appendMessages} with message ids.
	 */
	@Override
	public void add(String conversationId, List<Message> messages) {
		SpringAiArguments.conversationId(conversationId);
		SpringAiArguments.messages(messages);
		SpringAiArguments
			.run(() -> this.manager.appendMessages(conversationId, SpringAiMessages.toNewMessages(messages), true));
	}

	@Override
	public List<Message> get(String conversationId) {
		SpringAiArguments.conversationId(conversationId);
		return SpringAiArguments
			.call(() -> this.manager.findContextWindow(conversationId, this.manager.getDefaultWindowPolicy()))
			.map(SpringAiMessages::toMessages)
			.orElse(List.of());
	}

	@Override
	public void clear(String conversationId) {
		SpringAiArguments.conversationId(conversationId);
		SpringAiArguments.run(() -> this.manager.deleteSession(conversationId));
	}

}
