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

	private final ModelMetadataLimit metadataLimit;

	/**
	 * Create a chat memory.
	 * @param manager the manager over the store
	 */
	public StoreBackedChatMemory(ChatMemoryManager manager) {
		this.manager = manager;
		this.metadataLimit = new ModelMetadataLimit(manager.getValidationRules().maxModelMetadataBytes());
	}

	/**
	 * Append the messages, as Spring AI's memories do: adding a message twice stores it
	 * twice. Retries that must not duplicate go through
	 * {@link ChatMemoryManager#appendMessages} with message ids. An assistant or tool
	 * message whose metadata exceeds the limit is stored without its largest metadata
	 * entries (logged as a warning), since the model has answered already; a user or
	 * system message is refused.
	 */
	@Override
	public void add(String conversationId, List<Message> messages) {
		SpringAiArguments.conversationId(conversationId);
		SpringAiArguments.messages(messages);
		ModelMetadataLimit.Converted converted = this.metadataLimit.toNewMessages(messages);
		SpringAiArguments.run(() -> this.manager.appendMessages(conversationId, converted.messages(), true));
		converted.warnIfLeftOut(conversationId);
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
