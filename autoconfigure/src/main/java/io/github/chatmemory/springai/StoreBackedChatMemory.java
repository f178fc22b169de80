package io.github.chatmemory.springai;

import java.util.ArrayList;
import java.util.List;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.ChatMemoryStore.RecentMessages;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.Message;
import org.springframework.util.Assert;

/**
 * Spring AI's {@link ChatMemory} on a chat memory store: {@link #add} appends (one round
 * trip on Redis, whatever the history length) and {@link #get} returns the context
 * window, the full history staying in the store.
 */
public class StoreBackedChatMemory implements ChatMemory {

	private final ChatMemoryManager manager;

	private final int maxMessages;

	/**
	 * Create a chat memory.
	 * @param manager the manager over the store
	 * @param maxMessages the maximum number of messages that {@link #get} returns
	 */
	public StoreBackedChatMemory(ChatMemoryManager manager, int maxMessages) {
		Assert.isTrue(maxMessages > 0, "maxMessages must be positive");
		this.manager = manager;
		this.maxMessages = maxMessages;
	}

	@Override
	public void add(String conversationId, List<Message> messages) {
		Assert.notNull(messages, "messages must not be null");
		this.manager.appendMessages(conversationId, SpringAiMessages.toNewMessages(messages), true);
	}

	/**
	 * Return the newest messages of the conversation, at most the configured number, with
	 * the newest system message pinned first when it is older than them.
	 */
	@Override
	public List<Message> get(String conversationId) {
		RecentMessages recent = this.manager.getRecentWithSystemMessage(conversationId, this.maxMessages);
		StoredMessage system = recent.latestSystemMessage();
		if (system == null) {
			return SpringAiMessages.toMessages(recent.messages());
		}
		List<StoredMessage> window = new ArrayList<>(this.maxMessages);
		window.add(system);
		List<StoredMessage> newest = recent.messages();
		window.addAll(newest.subList(Math.min(newest.size(), newest.size() - (this.maxMessages - 1)), newest.size()));
		return SpringAiMessages.toMessages(window);
	}

	@Override
	public void clear(String conversationId) {
		this.manager.deleteSession(conversationId);
	}

}
