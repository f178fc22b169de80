package io.github.chatmemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.ChatMemoryStore.SessionUpdate;
import io.github.chatmemory.window.ContextWindow;
import io.github.chatmemory.window.ContextWindowBuilder;
import io.github.chatmemory.window.MessageTokenCounter;
import io.github.chatmemory.window.WindowPolicy;

import org.springframework.ai.tokenizer.JTokkitTokenCountEstimator;

/**
 * The one service that applications, advisors and controllers call to work with chat
 * sessions and their messages. It validates every input once, here, and then delegates
 * to the {@link ChatMemoryStore}.
 * <p>
 * Errors: {@link IllegalArgumentException} naming the field and rule for bad input,
 * {@link SessionNotFoundException}, {@link SessionAlreadyExistsException},
 * {@link SessionInactiveException}, and {@link ChatMemoryUnavailableException} when the
 * store cannot be reached.
 */
public class ChatMemoryManager {

	private static final int FULL_READ_PAGE_SIZE = 1000;

	private final ChatMemoryStore store;

	private final InputValidator validator;

	private final WindowPolicy defaultWindowPolicy;

	private final ContextWindowBuilder windowBuilder;

	/**
	 * Create a manager with a 20-message default window and JTokkit token counts.
	 * @param store the store that keeps sessions and messages
	 * @param rules the limits on input
	 */
	public ChatMemoryManager(ChatMemoryStore store, ValidationRules rules) {
		this(store, rules, WindowPolicy.ofMessages(20), new MessageTokenCounter(new JTokkitTokenCountEstimator()));
	}

	/**
	 * Create a manager.
	 * @param store the store that keeps sessions and messages
	 * @param rules the limits on input
	 * @param defaultWindowPolicy the window policy used when a call gives none
	 * @param tokenCounter how to count a message's tokens for windows
	 */
	public ChatMemoryManager(ChatMemoryStore store, ValidationRules rules, WindowPolicy defaultWindowPolicy,
			MessageTokenCounter tokenCounter) {
		this.store = store;
		this.validator = new InputValidator(rules);
		this.defaultWindowPolicy = defaultWindowPolicy;
		this.windowBuilder = new ContextWindowBuilder(store, tokenCounter);
	}

	/**
	 * Return the store behind this manager.
	 * @return the store
	 */
	public ChatMemoryStore getStore() {
		return this.store;
	}

	/**
	 * Create a session.
	 * @param request the owner, title, metadata and optional id
	 * @return the created session
	 * @throws SessionAlreadyExistsException if the given id is taken
	 */
	public ChatSession createSession(NewSession request) {
		String id = (request.id() != null) ? this.validator.id("id", request.id()) : UUID.randomUUID().toString();
		String userId = this.validator.id("userId", request.userId());
		return this.store.createSession(id, userId, this.validator.title(request.title()),
				this.validator.metadata("metadata", request.metadata()));
	}

	/**
	 * Find a session.
	 * @param sessionId the session id
	 * @return the session, or empty if it does not exist
	 */
	public Optional<ChatSession> findSession(String sessionId) {
		return this.store.findSession(this.validator.id("sessionId", sessionId));
	}

	/**
	 * Return a session.
	 * @param sessionId the session id
	 * @return the session
	 * @throws SessionNotFoundException if it does not exist
	 */
	public ChatSession getSession(String sessionId) {
		return findSession(sessionId).orElseThrow(() -> new SessionNotFoundException(sessionId));
	}

	/**
	 * List a user's sessions, newest activity first.
	 * @param userId the user
	 * @param page the zero-based page
	 * @param size the page size
	 * @return the page
	 */
	public PagedResult<ChatSession> listSessions(String userId, int page, int size) {
		return this.store.findSessionsByUser(this.validator.id("userId", userId), this.validator.page(page),
				this.validator.limit("size", size));
	}

	/**
	 * Change a session's title.
	 * @param sessionId the session id
	 * @param title the new title
	 * @return the updated session
	 */
	public ChatSession renameSession(String sessionId, String title) {
		return this.store.updateSession(this.validator.id("sessionId", sessionId),
				new SessionUpdate(this.validator.title(title), null));
	}

	/**
	 * Deactivate a session: it stays readable but rejects new messages.
	 * @param sessionId the session id
	 * @return the updated session
	 */
	public ChatSession deactivateSession(String sessionId) {
		return this.store.updateSession(this.validator.id("sessionId", sessionId), new SessionUpdate(null, false));
	}

	/**
	 * Activate a deactivated session again.
	 * @param sessionId the session id
	 * @return the updated session
	 */
	public ChatSession activateSession(String sessionId) {
		return this.store.updateSession(this.validator.id("sessionId", sessionId), new SessionUpdate(null, true));
	}

	/**
	 * Delete a session and all of its messages.
	 * @param sessionId the session id
	 * @return {@code true} if the session existed
	 */
	public boolean deleteSession(String sessionId) {
		return this.store.deleteSession(this.validator.id("sessionId", sessionId));
	}

	/**
	 * Append one message to an existing session.
	 * @param sessionId the session id
	 * @param message the message; a known id makes the append idempotent
	 * @return the stored message, or the message already stored under the same id
	 */
	public StoredMessage appendMessage(String sessionId, NewMessage message) {
		return appendMessages(sessionId, List.of(message)).get(0);
	}

	/**
	 * Append messages, in order, to an existing session, atomically.
	 * @param sessionId the session id
	 * @param messages the messages; known ids make the append idempotent
	 * @return the stored messages, one for each given message
	 */
	public List<StoredMessage> appendMessages(String sessionId, List<NewMessage> messages) {
		return appendMessages(sessionId, messages, false);
	}

	/**
	 * Append messages, in order, atomically, optionally creating an owner-less session
	 * as Spring AI's {@code ChatMemory} expects of a new conversation id.
	 * @param sessionId the session id
	 * @param messages the messages; known ids make the append idempotent
	 * @param createSessionIfMissing whether to create a missing session
	 * @return the stored messages, one for each given message
	 */
	public List<StoredMessage> appendMessages(String sessionId, List<NewMessage> messages,
			boolean createSessionIfMissing) {
		this.validator.id("sessionId", sessionId);
		if (messages.isEmpty()) {
			return List.of();
		}
		return this.store.append(sessionId, prepare(messages), createSessionIfMissing);
	}

	/**
	 * Atomically replace all messages of a session, creating it if missing.
	 * @param sessionId the session id
	 * @param messages the new messages
	 * @return the stored messages
	 */
	public List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages) {
		return this.store.replaceMessages(this.validator.id("sessionId", sessionId), prepare(messages));
	}

	private List<NewMessage> prepare(List<NewMessage> messages) {
		this.validator.batchSize(messages.size());
		List<NewMessage> prepared = new ArrayList<>(messages.size());
		for (int i = 0; i < messages.size(); i++) {
			NewMessage message = messages.get(i);
			String field = "messages[" + i + "]";
			String id = (message.id() != null) ? this.validator.id(field + ".id", message.id())
					: UUID.randomUUID().toString();
			if (message.responseTo() != null) {
				this.validator.id(field + ".responseTo", message.responseTo());
			}
			this.validator.content(field + ".content", message.content());
			prepared.add(message.withId(id).withMetadata(this.validator.metadata(field + ".metadata", message.metadata())));
		}
		return prepared;
	}

	/**
	 * Read messages of a session.
	 * @param sessionId the session id
	 * @param query which messages
	 * @return the messages in ascending sequence order
	 */
	public List<StoredMessage> getMessages(String sessionId, MessageQuery query) {
		this.validator.sequence("before", query.before());
		this.validator.sequence("after", query.after());
		if (query.before() != null && query.after() != null) {
			throw new IllegalArgumentException("before, after: give one of them, not both");
		}
		this.validator.limit("limit", query.limit());
		return this.store.readMessages(this.validator.id("sessionId", sessionId), query);
	}

	/**
	 * Read every message of a session, page by page from the store. Meant for exports
	 * and Spring AI's repository contract; prompts should use a window instead.
	 * @param sessionId the session id
	 * @return all messages in ascending sequence order, empty if the session does not
	 * exist
	 */
	public List<StoredMessage> getAllMessages(String sessionId) {
		this.validator.id("sessionId", sessionId);
		List<StoredMessage> all = new ArrayList<>();
		try {
			List<StoredMessage> page;
			long after = 0;
			do {
				page = this.store.readMessages(sessionId, MessageQuery.after(after, FULL_READ_PAGE_SIZE));
				all.addAll(page);
				after = page.isEmpty() ? after : page.get(page.size() - 1).sequence();
			}
			while (page.size() == FULL_READ_PAGE_SIZE);
		}
		catch (SessionNotFoundException ex) {
			return List.of();
		}
		return all;
	}

	/**
	 * Read the newest messages of a session.
	 * @param sessionId the session id
	 * @param limit how many
	 * @return the messages in ascending sequence order
	 */
	public List<StoredMessage> getRecentMessages(String sessionId, int limit) {
		return getMessages(sessionId, MessageQuery.latest(limit));
	}

	/**
	 * Build the context window of a session with the default policy.
	 * @param sessionId the session id
	 * @return the window
	 * @throws SessionNotFoundException if the session does not exist
	 */
	public ContextWindow getContextWindow(String sessionId) {
		return getContextWindow(sessionId, this.defaultWindowPolicy);
	}

	/**
	 * Build the context window of a session with the given policy.
	 * @param sessionId the session id
	 * @param policy the limits for this call
	 * @return the window
	 * @throws SessionNotFoundException if the session does not exist
	 */
	public ContextWindow getContextWindow(String sessionId, WindowPolicy policy) {
		return findContextWindow(sessionId, policy).orElseThrow(() -> new SessionNotFoundException(sessionId));
	}

	/**
	 * Build the context window of a session with the given policy, if the session exists.
	 * @param sessionId the session id
	 * @param policy the limits for this call
	 * @return the window, or empty if the session does not exist
	 */
	public Optional<ContextWindow> findContextWindow(String sessionId, WindowPolicy policy) {
		return this.windowBuilder.build(this.validator.id("sessionId", sessionId), policy);
	}

	/**
	 * Return the window policy used when a call gives none.
	 * @return the default policy
	 */
	public WindowPolicy getDefaultWindowPolicy() {
		return this.defaultWindowPolicy;
	}

	/**
	 * Remove all messages of a session, keeping the session.
	 * @param sessionId the session id
	 */
	public void clearMessages(String sessionId) {
		this.store.clearMessages(this.validator.id("sessionId", sessionId));
	}

	/**
	 * List session ids, newest activity first.
	 * @param limit the maximum number of ids
	 * @return the ids
	 */
	public List<String> listSessionIds(int limit) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit: must be positive but was " + limit);
		}
		return this.store.findSessionIds(limit);
	}

}
