package io.github.chatmemory.springai;

import java.util.List;

import io.github.chatmemory.ChatMemoryManager;

import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;

/**
 * Spring AI's {@link ChatMemoryRepository} on a chat memory store, for code that uses
 * Spring AI's own {@code MessageWindowChatMemory}. {@link #saveAll} replaces a
 * conversation atomically; tool calls, tool responses, media and metadata survive the
 * round trip, and a message read back {@code equals} the message saved.
 */
public class StoreBackedChatMemoryRepository implements ChatMemoryRepository {

	private static final int MAX_CONVERSATION_IDS = 10_000;

	private final ChatMemoryManager manager;

	private final ModelMetadataLimit metadataLimit;

	/**
	 * Create a repository.
	 * @param manager the manager over the store
	 */
	public StoreBackedChatMemoryRepository(ChatMemoryManager manager) {
		this.manager = manager;
		this.metadataLimit = new ModelMetadataLimit(manager.getValidationRules().maxModelMetadataBytes());
	}

	/**
	 * Return conversation ids, newest activity first, at most
	 * {@value #MAX_CONVERSATION_IDS} of them.
	 */
	@Override
	public List<String> findConversationIds() {
		return this.manager.listSessionIds(MAX_CONVERSATION_IDS);
	}

	@Override
	public List<Message> findByConversationId(String conversationId) {
		SpringAiArguments.conversationId(conversationId);
		return SpringAiMessages
			.toMessages(SpringAiArguments.call(() -> this.manager.getAllMessages(conversationId)));
	}

	/**
	 * Replace the conversation's messages. Messages equal to stored ones, in the same
	 * order, stay the stored messages: they keep their ids and creation times, so that
	 * {@code MessageWindowChatMemory}, which saves the whole window on every add, does
	 * not make old messages new. Only the stored messages such a window can hold are
	 * read for this (the newest system message and as many of the newest messages as
	 * are given), so a save costs what the window costs, not what the history does. An
	 * assistant or tool message whose metadata exceeds the limit is stored without its
	 * largest metadata entries (logged as a warning), since the model has answered
	 * already; a user or system message is refused.
	 */
	@Override
	public void saveAll(String conversationId, List<Message> messages) {
		SpringAiArguments.conversationId(conversationId);
		SpringAiArguments.messages(messages);
		ModelMetadataLimit.Converted converted = this.metadataLimit.toNewMessages(messages);
		SpringAiArguments.run(() -> this.manager.replaceMessages(conversationId, converted.messages()));
		converted.warnIfLeftOut(conversationId);
	}

	@Override
	public void deleteByConversationId(String conversationId) {
		SpringAiArguments.conversationId(conversationId);
		SpringAiArguments.run(() -> this.manager.deleteSession(conversationId));
	}

}
