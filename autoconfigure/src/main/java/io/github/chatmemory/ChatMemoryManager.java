package io.github.chatmemory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import io.github.chatmemory.recall.ChatMemoryRecall;
import io.github.chatmemory.recall.RecallNotEnabledException;
import io.github.chatmemory.recall.RecallResult;
import io.github.chatmemory.retention.SessionRetention;
import io.github.chatmemory.search.KeywordSearch;
import io.github.chatmemory.search.SearchResult;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.ChatMemoryStore.RecentMessages;
import io.github.chatmemory.store.ChatMemoryStore.SessionUpdate;
import io.github.chatmemory.store.ResilientChatMemoryStore;
import io.github.chatmemory.summary.ChatMemorySummarizer;
import io.github.chatmemory.summary.SessionSummarizer;
import io.github.chatmemory.summary.SummaryListener;
import io.github.chatmemory.summary.SummaryRunner;
import io.github.chatmemory.summary.SummarySettings;
import io.github.chatmemory.support.InputValidator;
import io.github.chatmemory.transfer.SessionBranching;
import io.github.chatmemory.transfer.SessionExport;
import io.github.chatmemory.transfer.SessionImport;
import io.github.chatmemory.window.ContextWindow;
import io.github.chatmemory.window.ContextWindowBuilder;
import io.github.chatmemory.window.MessageTokenCounter;
import io.github.chatmemory.window.WindowPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.tokenizer.JTokkitTokenCountEstimator;

/**
 * The one service that applications, advisors and controllers call to work with chat
 * sessions and their messages. It validates every input once, here, and then delegates
 * to the {@link ChatMemoryStore}.
 * <p>
 * Errors: {@link ChatMemoryValidationException} naming the field and rule for bad input,
 * {@link SessionNotFoundException}, {@link SessionAlreadyExistsException},
 * {@link SessionInactiveException}, and {@link ChatMemoryUnavailableException} when the
 * store cannot be reached.
 */
public class ChatMemoryManager {

	private static final Log logger = LogFactory.getLog(ChatMemoryManager.class);

	private static final int FULL_READ_PAGE_SIZE = 1000;

	/** How often a full read starts again when the session was written to between its pages. */
	private static final int FULL_READ_ATTEMPTS = 5;

	/** The most sessions one user may own unless configured otherwise. */
	public static final int DEFAULT_MAX_SESSIONS_PER_USER = 1000;

	/**
	 * How many messages' worth of media ({@code max-media-size} each) one call may carry:
	 * enough for the windows Spring AI's {@code MessageWindowChatMemory} saves whole on
	 * every add (20 messages by default).
	 */
	static final int MEDIA_PER_CALL_FACTOR = 32;

	private final ChatMemoryStore givenStore;

	/** The given store behind the failure boundary, which every call goes through. */
	private final ChatMemoryStore store;

	private final InputValidator validator;

	private final ValidationRules rules;

	private final WindowPolicy defaultWindowPolicy;

	private final ContextWindowBuilder windowBuilder;

	private final KeywordSearch keywordSearch;

	private final SessionImport sessionImport;

	private final SessionExport sessionExport;

	private final SessionRetention retention;

	private final SessionBranching branching;

	private final Consumer<ContextWindow> windowListener;

	private final int maxSessionsPerUser;

	private final @Nullable SummaryRunner summaries;

	private final @Nullable ChatMemoryRecall recall;

	/**
	 * Create a manager with default rules, a 20-message default window, JTokkit token
	 * counts and the system clock.
	 * @param store the store that keeps sessions and messages
	 * @param rules the limits on input
	 */
	public ChatMemoryManager(ChatMemoryStore store, ValidationRules rules) {
		this(builder(store).validationRules(rules));
	}

	private ChatMemoryManager(Builder builder) {
		this.givenStore = builder.store;
		this.store = ResilientChatMemoryStore.of(builder.store);
		this.rules = builder.rules;
		this.validator = new InputValidator(builder.rules);
		this.defaultWindowPolicy = builder.windowPolicy;
		MessageTokenCounter tokenCounter = (builder.tokenCounter != null) ? builder.tokenCounter
				: new MessageTokenCounter(new JTokkitTokenCountEstimator());
		this.windowBuilder = new ContextWindowBuilder(this.store, tokenCounter, builder.summarizer != null);
		this.summaries = (builder.summarizer != null) ? new SummaryRunner(
				new SessionSummarizer(this.store, this.windowBuilder, tokenCounter, builder.summarizer,
						builder.summarySettings, builder.clock),
				builder.summaryThreads, builder.summaryQueueCapacity, builder.summaryListener) : null;
		this.keywordSearch = new KeywordSearch(this.store, builder.searchLimits);
		this.sessionImport = new SessionImport(this.validator, builder.rules, builder.clock);
		this.sessionExport = new SessionExport(this.store, builder.rules);
		this.retention = new SessionRetention(this.store, builder.clock);
		this.branching = new SessionBranching(this.store, builder.rules, builder.clock);
		this.windowListener = builder.windowListener;
		this.maxSessionsPerUser = builder.maxSessionsPerUser;
		this.recall = builder.recall;
	}

	/**
	 * Start building a manager over a store.
	 * @param store the store that keeps sessions and messages
	 * @return the builder
	 */
	public static Builder builder(ChatMemoryStore store) {
		return new Builder(store);
	}

	/**
	 * Return the store behind this manager, as it was given.
	 * @return the store
	 */
	public ChatMemoryStore getStore() {
		return this.givenStore;
	}

	/**
	 * Return the limits this manager holds its input to.
	 * @return the validation rules
	 */
	public ValidationRules getValidationRules() {
		return this.rules;
	}

	/**
	 * Make one round trip to the store, through the same failure boundary as every other
	 * call.
	 * @throws ChatMemoryUnavailableException if the store does not answer
	 */
	public void ping() {
		this.store.ping();
	}

	/**
	 * Create a session.
	 * @param request the owner, title, metadata and optional id
	 * @return the created session
	 * @throws SessionAlreadyExistsException if the given id is taken
	 * @throws ChatMemoryValidationException if the user already has as many sessions as
	 * allowed
	 */
	public ChatSession createSession(NewSession request) {
		String id = (request.id() != null) ? this.validator.id("id", request.id()) : UUID.randomUUID().toString();
		String userId = this.validator.id("userId", request.userId());
		checkSessionLimit("userId", userId);
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
		return renameSession(sessionId, title, null);
	}

	/**
	 * Change a session's title if it belongs to the given user, deciding both atomically.
	 * @param sessionId the session id
	 * @param title the new title
	 * @param owner the user who must own the session, or {@code null} for any
	 * @return the updated session
	 * @throws SessionNotFoundException if the session does not exist or is another user's
	 */
	public ChatSession renameSession(String sessionId, String title, @Nullable String owner) {
		return renameSession(sessionId, title, owner, null);
	}

	/**
	 * Change a session's title if it belongs to the given user and is at the expected
	 * version, deciding all of it atomically.
	 * @param sessionId the session id
	 * @param title the new title
	 * @param owner the user who must own the session, or {@code null} for any
	 * @param expectedVersion the version the session must be at, or {@code null} for any
	 * @return the updated session, with its new version
	 * @throws SessionNotFoundException if the session does not exist or is another user's
	 * @throws SessionVersionConflictException if the session is at another version
	 */
	public ChatSession renameSession(String sessionId, String title, @Nullable String owner,
			@Nullable Long expectedVersion) {
		return this.store.updateSession(this.validator.id("sessionId", sessionId),
				new SessionUpdate(this.validator.title(title), null, version(expectedVersion)), owner(owner));
	}

	/**
	 * Deactivate a session: it stays readable but rejects new messages.
	 * @param sessionId the session id
	 * @return the updated session
	 */
	public ChatSession deactivateSession(String sessionId) {
		return setActive(sessionId, false, null);
	}

	/**
	 * Deactivate or activate a session if it belongs to the given user, atomically.
	 * @param sessionId the session id
	 * @param active whether the session accepts new messages
	 * @param owner the user who must own the session, or {@code null} for any
	 * @return the updated session
	 * @throws SessionNotFoundException if the session does not exist or is another user's
	 */
	public ChatSession setActive(String sessionId, boolean active, @Nullable String owner) {
		return this.store.updateSession(this.validator.id("sessionId", sessionId), new SessionUpdate(null, active),
				owner(owner));
	}

	/**
	 * Activate a deactivated session again.
	 * @param sessionId the session id
	 * @return the updated session
	 */
	public ChatSession activateSession(String sessionId) {
		return setActive(sessionId, true, null);
	}

	/**
	 * Delete a session and all of its messages.
	 * @param sessionId the session id
	 * @return {@code true} if the session existed
	 */
	public boolean deleteSession(String sessionId) {
		return deleteSession(sessionId, null);
	}

	/**
	 * Delete a session and all of its messages if it belongs to the given user, deciding
	 * and deleting atomically.
	 * @param sessionId the session id
	 * @param owner the user who must own the session, or {@code null} for any
	 * @return {@code true} if the session existed and was deleted
	 */
	public boolean deleteSession(String sessionId, @Nullable String owner) {
		this.validator.id("sessionId", sessionId);
		// a branch leaves the list of the session it was made from, which lives elsewhere
		String source = this.store.findSession(sessionId).map(SessionBranching::sourceOf).orElse(null);
		boolean deleted = this.store.deleteSession(sessionId, owner(owner));
		if (deleted && source != null) {
			try {
				this.store.removeBranch(source, sessionId);
			}
			catch (RuntimeException ex) {
				// the delete has happened and must not be reported as failed: the listing
				// leaves out branches that are gone
				logger.warn("Could not remove deleted branch '" + sessionId + "' from the branches of '" + source
						+ "'; listings leave it out", ex);
			}
		}
		return deleted;
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
		return appendMessages(sessionId, messages, createSessionIfMissing, null);
	}

	/**
	 * Append messages, in order, atomically, to a session that belongs to the given
	 * user; ownership is checked in the same atomic step as the append.
	 * @param sessionId the session id
	 * @param messages the messages; known ids make the append idempotent
	 * @param createSessionIfMissing whether to create a missing (owner-less) session
	 * @param owner the user who must own the session, or {@code null} for any
	 * @return the stored messages, one for each given message
	 * @throws SessionNotFoundException if the session does not exist or is another user's
	 */
	public List<StoredMessage> appendMessages(String sessionId, List<NewMessage> messages,
			boolean createSessionIfMissing, @Nullable String owner) {
		this.validator.id("sessionId", sessionId);
		if (messages.isEmpty()) {
			return List.of();
		}
		this.validator.batchSize(messages.size());
		// a known id with another message is refused by the store, atomically, before it
		// writes anything (the store contract)
		return this.store.append(sessionId, prepare(messages), createSessionIfMissing, owner(owner));
	}

	/**
	 * Atomically replace all messages of a session, creating it if missing. This is how
	 * Spring AI's {@code ChatMemoryRepository#saveAll} works, so a whole conversation may
	 * come, up to {@code maxImportMessages}.
	 * @param sessionId the session id
	 * @param messages the new messages
	 * @return the stored messages
	 */
	public List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages) {
		if (messages.size() > this.rules.maxImportMessages()) {
			throw new ChatMemoryValidationException("messages", "at most " + this.rules.maxImportMessages()
					+ " messages can replace a conversation but got " + messages.size());
		}
		this.validator.id("sessionId", sessionId);
		return this.store.replaceMessages(sessionId, prepare(withStoredIds(sessionId, messages)));
	}

	/**
	 * Give each message without an id the id of the stored message it repeats, matched in
	 * order, so that a replacement that writes back what it read (as Spring AI's
	 * {@code MessageWindowChatMemory} does on every add) keeps those messages, with their
	 * ids and creation times, instead of storing them anew.
	 * <p>
	 * Only what such a window can repeat is read, whatever the history's length: the
	 * newest {@code messages.size()} stored messages and the newest system message. A
	 * window keeps the order of the history and drops its oldest messages but system
	 * messages, so the stored messages it repeats, apart from system messages, are a
	 * suffix of the history no longer than the window. An older message repeated (a
	 * system message before the newest one, say) is stored anew.
	 */
	private List<NewMessage> withStoredIds(String sessionId, List<NewMessage> messages) {
		if (messages.stream().allMatch((message) -> message.id() != null)) {
			return messages;
		}
		List<StoredMessage> stored = storedMessagesAWindowCanRepeat(sessionId, messages.size());
		if (stored.isEmpty()) {
			return messages;
		}
		Set<String> given = new HashSet<>();
		messages.forEach((message) -> given.add(message.id()));
		// candidates by role and text, in order, so that matching stays linear
		Map<String, ArrayDeque<Integer>> candidates = new HashMap<>();
		for (int i = 0; i < stored.size(); i++) {
			candidates.computeIfAbsent(matchKey(stored.get(i).role(), stored.get(i).content()),
					(key) -> new ArrayDeque<>()).add(i);
		}
		List<NewMessage> matched = new ArrayList<>(messages.size());
		int next = 0;
		for (NewMessage message : messages) {
			ArrayDeque<Integer> queue = (message.id() == null)
					? candidates.get(matchKey(message.role(), message.content())) : null;
			if (queue != null) {
				for (java.util.Iterator<Integer> iterator = queue.iterator(); iterator.hasNext();) {
					int index = iterator.next();
					StoredMessage candidate = stored.get(index);
					if (index < next || given.contains(candidate.id())) {
						// behind the last match, or taken: it can match no later message either
						iterator.remove();
						continue;
					}
					if (message.isSameMessageAs(candidate)) {
						iterator.remove();
						message = message.withId(candidate.id());
						next = index + 1;
						break;
					}
					// the same text with other metadata stays a candidate for a later message
				}
			}
			matched.add(message);
		}
		return matched;
	}

	private List<StoredMessage> storedMessagesAWindowCanRepeat(String sessionId, int windowSize) {
		RecentMessages recent = this.store.readRecent(sessionId, windowSize);
		StoredMessage system = recent.latestSystemMessage();
		if (system == null || (!recent.messages().isEmpty() && system.sequence() >= recent.messages().get(0).sequence())) {
			return recent.messages();
		}
		List<StoredMessage> stored = new ArrayList<>(recent.messages().size() + 1);
		stored.add(system);
		stored.addAll(recent.messages());
		return stored;
	}

	private static String matchKey(MessageRole role, String content) {
		return role.name() + ':' + content;
	}

	/**
	 * Append messages, in order, atomically, to an existing session that belongs to the
	 * given user, only if it is at the expected version: the check is made in the same
	 * atomic step as the append, and only when something would be written, so a retry of
	 * messages that are all stored already returns them whatever the version.
	 * @param sessionId the session id
	 * @param messages the messages; known ids make the append idempotent
	 * @param expectedVersion the version the session must be at, or {@code null} for any
	 * @param owner the user who must own the session, or {@code null} for any
	 * @return the stored messages, one for each given message, and the session's version
	 * after the append
	 * @throws SessionNotFoundException if the session does not exist or is another user's
	 * @throws SessionVersionConflictException if the session is at another version and a
	 * message is new
	 */
	public VersionedMessages appendMessagesAtVersion(String sessionId, List<NewMessage> messages,
			@Nullable Long expectedVersion, @Nullable String owner) {
		this.validator.id("sessionId", sessionId);
		if (messages.isEmpty()) {
			throw new ChatMemoryValidationException("messages", "must not be empty");
		}
		this.validator.batchSize(messages.size());
		return this.store.append(sessionId, prepare(messages), false, owner(owner), version(expectedVersion));
	}

	private static @Nullable Long version(@Nullable Long expectedVersion) {
		if (expectedVersion != null && expectedVersion < 0) {
			throw new ChatMemoryValidationException("expectedVersion", "must not be negative but was " + expectedVersion);
		}
		return expectedVersion;
	}

	private List<NewMessage> prepare(List<NewMessage> messages) {
		List<NewMessage> prepared = new ArrayList<>(messages.size());
		long mediaBytes = 0;
		long maxMediaBytes = MEDIA_PER_CALL_FACTOR * this.rules.maxMediaBytes();
		for (int i = 0; i < messages.size(); i++) {
			NewMessage message = messages.get(i);
			for (MessageMedia medium : message.media()) {
				mediaBytes += medium.size();
			}
			if (mediaBytes > maxMediaBytes) {
				// each message may hold up to the media limit, but one call may not hold a
				// thousand of them: the memory of one request stays bounded
				throw new ChatMemoryValidationException("messages[" + i + "].media",
						"the media of one call must be at most " + maxMediaBytes + " bytes ("
								+ MEDIA_PER_CALL_FACTOR + " x chat-memory.validation.max-media-size) but reach "
								+ mediaBytes);
			}
			String field = "messages[" + i + "]";
			String id = (message.id() != null) ? this.validator.id(field + ".id", message.id())
					: UUID.randomUUID().toString();
			if (message.responseTo() != null) {
				this.validator.id(field + ".responseTo", message.responseTo());
			}
			this.validator.content(field + ".content", message.content());
			this.validator.toolData(field, message.toolCalls(), message.toolResponses());
			this.validator.media(field, message.role(), message.media());
			prepared.add(message.withId(id)
				.withMetadata(this.validator.messageMetadata(field + ".metadata", message.role(), message.metadata())));
		}
		return prepared;
	}

	/**
	 * Read messages of a session.
	 * @param sessionId the session id
	 * @param query which messages, with their media unless the query is
	 * {@link MessageQuery#withoutMedia() without media}
	 * @return the messages in ascending sequence order
	 */
	public List<StoredMessage> getMessages(String sessionId, MessageQuery query) {
		this.validator.sequence("before", query.before());
		this.validator.sequence("after", query.after());
		if (query.before() != null && query.after() != null) {
			throw new ChatMemoryValidationException("before, after", "give one of them, not both");
		}
		this.validator.limit("limit", query.limit());
		return this.store.readMessages(this.validator.id("sessionId", sessionId), query);
	}

	/**
	 * Read messages of a session with the session's version they were read at, for
	 * callers that write back with a version check (REST: the {@code ETag}).
	 * @param sessionId the session id
	 * @param query which messages
	 * @return the messages in ascending sequence order and the version, {@code null} if
	 * the read spanned a write
	 */
	public VersionedMessages getVersionedMessages(String sessionId, MessageQuery query) {
		this.validator.sequence("before", query.before());
		this.validator.sequence("after", query.after());
		if (query.before() != null && query.after() != null) {
			throw new ChatMemoryValidationException("before, after", "give one of them, not both");
		}
		this.validator.limit("limit", query.limit());
		return this.store.readVersionedMessages(this.validator.id("sessionId", sessionId), query);
	}

	/**
	 * Read every message of a session, with their media, page by page from the store,
	 * all from one version of the session: a write between two pages has the read start
	 * again, at most {@value #FULL_READ_ATTEMPTS} times. Meant for Spring AI's repository
	 * contract; prompts should use a window instead.
	 * @param sessionId the session id
	 * @return all messages in ascending sequence order, empty if the session does not
	 * exist
	 * @throws SessionChangedException if the session was written to during every attempt
	 */
	public List<StoredMessage> getAllMessages(String sessionId) {
		this.validator.id("sessionId", sessionId);
		try {
			for (int attempt = 1; attempt <= FULL_READ_ATTEMPTS; attempt++) {
				List<StoredMessage> all = readAllAtOneVersion(sessionId);
				if (all != null) {
					return all;
				}
			}
		}
		catch (SessionNotFoundException ex) {
			return List.of();
		}
		throw new SessionChangedException(sessionId, "Session '" + sessionId + "' changed " + FULL_READ_ATTEMPTS
				+ " times while all of its messages were read; try again");
	}

	/**
	 * Read all messages, or return {@code null} when the session was written to between
	 * two pages. Such pages do not belong together: a replacement gives every message a
	 * new, higher sequence, so the pages after it would hold the whole new history behind
	 * part of the old one, and Spring AI's {@code MessageWindowChatMemory}, which saves
	 * back what it read, would store both.
	 */
	private @Nullable List<StoredMessage> readAllAtOneVersion(String sessionId) {
		List<StoredMessage> all = new ArrayList<>();
		Long version = null;
		long after = 0;
		VersionedMessages page;
		do {
			page = this.store.readVersionedMessages(sessionId, MessageQuery.after(after, FULL_READ_PAGE_SIZE));
			// no version: the store's own replies for this page spanned a write already
			if (page.version() == null || (version != null && !version.equals(page.version()))) {
				return null;
			}
			version = page.version();
			all.addAll(page.messages());
			after = page.messages().isEmpty() ? after : page.messages().get(page.messages().size() - 1).sequence();
		}
		while (page.messages().size() == FULL_READ_PAGE_SIZE);
		return all;
	}

	/**
	 * Read the newest messages of a session, with their media.
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
		return buildWindow(sessionId, this.defaultWindowPolicy).orElseThrow(() -> new SessionNotFoundException(sessionId));
	}

	/**
	 * Build the context window of a session with the given policy.
	 * @param sessionId the session id
	 * @param policy the limits for this call, and whether the messages come with their
	 * media ({@link WindowPolicy#withoutMedia()})
	 * @return the window
	 * @throws SessionNotFoundException if the session does not exist
	 * @throws ChatMemoryValidationException if the policy asks for more messages than
	 * one read may return
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
		// the configured default's message limit is trusted (with or without media); a
		// caller's is held to the page size
		if (policy.maxMessages() != null && !policy.maxMessages().equals(this.defaultWindowPolicy.maxMessages())
				&& policy.maxMessages() > this.rules.maxPageSize()) {
			throw new ChatMemoryValidationException("maxMessages",
					"must be at most " + this.rules.maxPageSize() + " but was " + policy.maxMessages());
		}
		return buildWindow(sessionId, policy);
	}

	private Optional<ContextWindow> buildWindow(String sessionId, WindowPolicy policy) {
		Optional<ContextWindow> window = this.windowBuilder.build(this.validator.id("sessionId", sessionId), policy);
		window.ifPresent(this.windowListener);
		if (this.summaries != null && policy.equals(this.defaultWindowPolicy)) {
			// only a queue offer: the summary is made off the request path
			window.ifPresent(this.summaries::windowBuilt);
		}
		return window;
	}

	/**
	 * Whether summaries are on: a summarizer was given, windows hold the latest summary
	 * and summaries are made as windows leave messages out.
	 * @return whether summaries are on
	 */
	public boolean isSummarizing() {
		return this.summaries != null;
	}

	/**
	 * Make a summary of a session now, whatever the trigger, and wait for it: the
	 * messages the default window leaves out and the latest summary does not cover,
	 * folded into that summary.
	 * @param sessionId the session id
	 * @return the stored summary
	 * @throws SessionNotFoundException if the session does not exist
	 * @throws SummaryConflictException if summaries are off, one of the session is being
	 * made, there is nothing to summarize or the session moved on meanwhile
	 * @throws ChatMemoryUnavailableException if the summary failed or took too long
	 */
	public StoredSummary summarize(String sessionId) {
		return summarize(sessionId, null);
	}

	/**
	 * Make a summary of a session that belongs to the given user now, as
	 * {@link #summarize(String)} does.
	 * @param sessionId the session id
	 * @param owner the user who must own the session, or {@code null} for any
	 * @return the stored summary
	 * @throws SessionNotFoundException if the session does not exist or is another user's
	 */
	public StoredSummary summarize(String sessionId, @Nullable String owner) {
		ChatSession checked = checkOwner(sessionId, owner);
		if (this.summaries == null) {
			throw new SummaryConflictException(sessionId,
					"Summaries are off: set chat-memory.summary.enabled=true and provide a summarizer");
		}
		StoredSummary summary = this.summaries.summarizeNow(sessionId, this.defaultWindowPolicy);
		if (owner(owner) != null) {
			// the summary is of the session the owner was checked on only if that session was
			// not deleted and made again (by another user) meanwhile: its creation time tells
			ChatSession now = findSession(sessionId).orElseThrow(() -> new SessionNotFoundException(sessionId));
			if (!now.createdAt().equals(checked.createdAt()) || !owner.equals(now.userId())) {
				throw new SessionNotFoundException(sessionId);
			}
		}
		return summary;
	}

	/**
	 * List the summaries of a session, newest first.
	 * @param sessionId the session id
	 * @param page the zero-based page
	 * @param size the page size
	 * @return the page
	 * @throws SessionNotFoundException if the session does not exist
	 */
	public PagedResult<StoredSummary> getSummaries(String sessionId, int page, int size) {
		return getSummaries(sessionId, page, size, null);
	}

	/**
	 * List the summaries of a session that belongs to the given user, newest first.
	 * @param sessionId the session id
	 * @param page the zero-based page
	 * @param size the page size
	 * @param owner the user who must own the session, or {@code null} for any
	 * @return the page
	 * @throws SessionNotFoundException if the session does not exist or is another user's
	 */
	public PagedResult<StoredSummary> getSummaries(String sessionId, int page, int size, @Nullable String owner) {
		checkOwner(sessionId, owner);
		return this.store.findSummaries(sessionId, this.validator.page(page), this.validator.limit("size", size));
	}

	private ChatSession checkOwner(String sessionId, @Nullable String owner) {
		String checkedOwner = owner(owner);
		ChatSession session = getSession(sessionId);
		if (checkedOwner != null && !checkedOwner.equals(session.userId())) {
			throw new SessionNotFoundException(sessionId);
		}
		return session;
	}

	/**
	 * Stop making summaries: queued runs are given up. Called when the application
	 * context closes.
	 */
	public void close() {
		if (this.summaries != null) {
			this.summaries.close();
		}
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
		clearMessages(sessionId, null);
	}

	/**
	 * Remove all messages of a session that belongs to the given user, atomically.
	 * @param sessionId the session id
	 * @param owner the user who must own the session, or {@code null} for any
	 * @throws SessionNotFoundException if the session does not exist or is another user's
	 */
	public void clearMessages(String sessionId, @Nullable String owner) {
		this.store.clearMessages(this.validator.id("sessionId", sessionId), owner(owner));
	}

	/**
	 * List session ids, newest activity first.
	 * @param limit the maximum number of ids
	 * @return the ids
	 */
	public List<String> listSessionIds(int limit) {
		if (limit < 1) {
			throw new ChatMemoryValidationException("limit", "must be positive but was " + limit);
		}
		return this.store.findSessionIds(limit);
	}

	/**
	 * Search one session's messages for a keyword, case-insensitively, newest first.
	 * @param sessionId the session id
	 * @param query the text to find
	 * @param page the zero-based page
	 * @param size the page size
	 * @return the hits
	 * @throws SessionNotFoundException if the session does not exist
	 */
	public SearchResult searchSession(String sessionId, String query, int page, int size) {
		return this.keywordSearch.searchSession(this.validator.id("sessionId", sessionId),
				this.validator.query(query), this.validator.page(page), this.validator.limit("size", size));
	}

	/**
	 * Search all sessions of a user for a keyword, case-insensitively, newest first.
	 * @param userId the user
	 * @param query the text to find
	 * @param page the zero-based page
	 * @param size the page size
	 * @return the hits
	 */
	public SearchResult searchUserSessions(String userId, String query, int page, int size) {
		return this.keywordSearch.searchUser(this.validator.id("userId", userId), this.validator.query(query),
				this.validator.page(page), this.validator.limit("size", size));
	}

	/**
	 * Search all sessions of a user but some for a keyword, case-insensitively, newest
	 * first: the sessions left out are neither read nor counted against the search's
	 * session limit.
	 * @param userId the user
	 * @param query the text to find
	 * @param page the zero-based page
	 * @param size the page size
	 * @param excludedSessionIds the sessions to leave out, such as the conversation the
	 * search is made from
	 * @return the hits
	 */
	public SearchResult searchUserSessions(String userId, String query, int page, int size,
			Set<String> excludedSessionIds) {
		return this.keywordSearch.searchUser(this.validator.id("userId", userId), this.validator.query(query),
				this.validator.page(page), this.validator.limit("size", size), Set.copyOf(excludedSessionIds));
	}

	/**
	 * Whether semantic recall is switched on.
	 * @return whether {@link #recall(String, String, int)} may be called
	 */
	public boolean isRecallEnabled() {
		return this.recall != null;
	}

	/**
	 * Find the messages of a user's sessions most similar in meaning to a query, never
	 * another user's.
	 * @param userId the user
	 * @param query the query text
	 * @param limit the most messages to return
	 * @return the messages found, most similar first
	 * @throws RecallNotEnabledException if recall is not switched on
	 */
	public RecallResult recall(String userId, String query, int limit) {
		return recall(userId, query, limit, Set.of());
	}

	/**
	 * Find the messages of a user's sessions but some most similar in meaning to a query,
	 * never another user's.
	 * @param userId the user
	 * @param query the query text
	 * @param limit the most messages to return
	 * @param excludedSessionIds the sessions to leave out, such as the conversation the
	 * recall is made from
	 * @return the messages found, most similar first
	 * @throws RecallNotEnabledException if recall is not switched on
	 */
	public RecallResult recall(String userId, String query, int limit, Set<String> excludedSessionIds) {
		String user = this.validator.id("userId", userId);
		String text = this.validator.query(query);
		int max = this.validator.limit("limit", limit);
		return requireRecall().recall(user, text, max, Set.copyOf(excludedSessionIds));
	}

	/**
	 * Rebuild the recall vectors of one user's sessions, or of every session, off the
	 * calling thread.
	 * @param userId the user, or {@code null} for every session
	 * @return how many sessions were queued for indexing
	 * @throws RecallNotEnabledException if recall is not switched on
	 */
	public long reindexRecall(@Nullable String userId) {
		return requireRecall().reindex((userId != null) ? this.validator.id("userId", userId) : null);
	}

	private ChatMemoryRecall requireRecall() {
		if (this.recall == null) {
			throw new RecallNotEnabledException();
		}
		return this.recall;
	}

	/**
	 * Read a session with all of its messages and summaries, for export, as a document
	 * that imports back: only the messages up to the newest one when the export starts
	 * and the summaries of those, a message count that is the number of messages read,
	 * and a last activity no earlier than any of them, whatever is appended meanwhile.
	 * @param sessionId the session id
	 * @return the snapshot
	 * @throws SessionNotFoundException if the session does not exist
	 * @throws ExportTooLargeException if the session holds more messages than an import
	 * accepts
	 */
	public SessionSnapshot exportSession(String sessionId) {
		return exportSession(sessionId, Long.MAX_VALUE);
	}

	/**
	 * Read a session with all of its messages, for export, as {@link #exportSession(String)}
	 * does, refusing as soon as the messages' text alone passes a document size: the
	 * memory an export holds stays bounded by what an import accepts.
	 * @param sessionId the session id
	 * @param maxDocumentBytes the largest document an import accepts
	 * @return the snapshot
	 * @throws SessionNotFoundException if the session does not exist
	 * @throws ExportTooLargeException if the session could not be imported back
	 */
	public SessionSnapshot exportSession(String sessionId, long maxDocumentBytes) {
		return this.sessionExport.read(this.validator.id("sessionId", sessionId), maxDocumentBytes);
	}

	/**
	 * Check the user a write is made for: stores take an empty owner for "any", so only
	 * {@code null} may mean that.
	 */
	private @Nullable String owner(@Nullable String owner) {
		return (owner != null) ? this.validator.id("owner", owner) : null;
	}

	/**
	 * Write a session with its messages and summaries exactly as given (ids, sequences,
	 * timestamps).
	 * Everything is validated before anything is written; an invalid snapshot changes
	 * nothing.
	 * @param snapshot the session and its messages
	 * @param replaceExisting whether to replace a session with the same id
	 * @return the imported session
	 * @throws SessionAlreadyExistsException if the id is taken and
	 * {@code replaceExisting} is {@code false}
	 */
	public ChatSession importSession(SessionSnapshot snapshot, boolean replaceExisting) {
		return importSession(snapshot, replaceExisting, null);
	}

	/**
	 * Write a session with its messages exactly as given, replacing an existing session
	 * only if it belongs to the given user, decided in the same atomic write.
	 * @param snapshot the session and its messages
	 * @param replaceExisting whether to replace a session with the same id
	 * @param owner the user who must own a replaced session, or {@code null} for any
	 * @return the imported session
	 * @throws SessionAlreadyExistsException if the id is taken and
	 * {@code replaceExisting} is {@code false}
	 * @throws SessionNotFoundException if the session to replace is another user's
	 */
	public ChatSession importSession(SessionSnapshot snapshot, boolean replaceExisting, @Nullable String owner) {
		return importSession(snapshot, replaceExisting, owner, null);
	}

	/**
	 * Write a session with its messages exactly as given, replacing an existing session
	 * only if it belongs to the given user and is at the expected version, decided in the
	 * same atomic write.
	 * @param snapshot the session and its messages
	 * @param replaceExisting whether to replace a session with the same id; must be
	 * {@code true} when a version is expected
	 * @param owner the user who must own a replaced session, or {@code null} for any
	 * @param expectedVersion the version the replaced session must be at, or {@code null}
	 * for any: with a version, the session must exist
	 * @return the imported session, with its version
	 * @throws SessionAlreadyExistsException if the id is taken and
	 * {@code replaceExisting} is {@code false}
	 * @throws SessionNotFoundException if the session to replace is another user's, or a
	 * version is expected and the session does not exist
	 * @throws SessionVersionConflictException if the session is at another version
	 */
	public ChatSession importSession(SessionSnapshot snapshot, boolean replaceExisting, @Nullable String owner,
			@Nullable Long expectedVersion) {
		if (expectedVersion != null && !replaceExisting) {
			throw new ChatMemoryValidationException("replace", "must be true when a version is expected");
		}
		SessionSnapshot prepared = this.sessionImport.prepare(snapshot);
		ChatSession session = prepared.session();
		if (session.userId() != null) {
			// replacing the user's own session does not add one
			boolean replacesOwn = replaceExisting && this.store.findSession(session.id())
				.map((existing) -> session.userId().equals(existing.userId()))
				.orElse(false);
			if (!replacesOwn) {
				checkSessionLimit("session.userId", session.userId());
			}
		}
		return this.store.importSession(session, prepared.messages(), prepared.summaries(), replaceExisting,
				owner(owner), version(expectedVersion));
	}

	/**
	 * Fork a session: a new session of the same owner with the messages up to and
	 * including one message, as they are (ids, sequences, contents, metadata, tool data,
	 * media, creation times), and the summaries that cover none after it, its metadata naming the source under
	 * {@value SessionBranching#BRANCH_OF}. The source is not changed; it lists the fork
	 * among its branches.
	 * @param sessionId the session to fork
	 * @param atMessageId the last message to copy
	 * @param title the new session's title, or {@code null} for the source's
	 * @param owner the user who must own the source, or {@code null} for any
	 * @return the new session
	 * @throws SessionNotFoundException if the session does not exist or is another user's
	 * @throws MessageNotFoundException if the session holds no such message
	 * @throws ChatMemoryValidationException if the fork would hold more messages than an
	 * import accepts
	 * @throws SessionChangedException if the session kept changing while it was read
	 */
	public ChatSession forkSession(String sessionId, String atMessageId, @Nullable String title,
			@Nullable String owner) {
		return forkSession(sessionId, atMessageId, title, owner, Long.MAX_VALUE);
	}

	/**
	 * Fork a session as {@link #forkSession(String, String, String, String)} does,
	 * refusing a fork whose messages' text alone passes a document size.
	 * @param sessionId the session to fork
	 * @param atMessageId the last message to copy
	 * @param title the new session's title, or {@code null} for the source's
	 * @param owner the user who must own the source, or {@code null} for any
	 * @param maxDocumentBytes the largest document an import accepts
	 * @return the new session
	 */
	public ChatSession forkSession(String sessionId, String atMessageId, @Nullable String title,
			@Nullable String owner, long maxDocumentBytes) {
		ChatSession source = ownSession(sessionId, owner);
		StoredMessage at = message(sessionId, "atMessageId", atMessageId);
		String branchTitle = (title != null) ? this.validator.title(title) : source.title();
		return createBranch(source, this.branching.fork(source, at, branchTitle, maxDocumentBytes));
	}

	/**
	 * Edit a user message in a new branch, to ask again: a new session of the same owner
	 * with the messages before the edited one, then the edited one with new content and
	 * a new id (its role, metadata and media kept), with the summaries of the messages
	 * before it, its metadata naming the source under
	 * {@value SessionBranching#BRANCH_OF}. The source is not changed; it lists the branch.
	 * @param sessionId the session
	 * @param messageId the user message to edit
	 * @param content the new content
	 * @param owner the user who must own the session, or {@code null} for any
	 * @return the new session
	 * @throws SessionNotFoundException if the session does not exist or is another user's
	 * @throws MessageNotFoundException if the session holds no such message
	 * @throws ChatMemoryValidationException if the message is not a user message, or the
	 * content or the branch's size breaks a limit
	 */
	public ChatSession editMessage(String sessionId, String messageId, String content, @Nullable String owner) {
		return editMessage(sessionId, messageId, content, owner, Long.MAX_VALUE);
	}

	/**
	 * Edit a user message in a new branch, as
	 * {@link #editMessage(String, String, String, String)} does, refusing a branch whose
	 * messages' text alone passes a document size.
	 * @param sessionId the session
	 * @param messageId the user message to edit
	 * @param content the new content
	 * @param owner the user who must own the session, or {@code null} for any
	 * @param maxDocumentBytes the largest document an import accepts
	 * @return the new session
	 */
	public ChatSession editMessage(String sessionId, String messageId, String content, @Nullable String owner,
			long maxDocumentBytes) {
		ChatSession source = ownSession(sessionId, owner);
		String newContent = this.validator.content("content", InputValidator.required("content", content));
		StoredMessage edited = message(sessionId, "messageId", messageId);
		return createBranch(source,
				this.branching.edit(source, edited, newContent, source.title(), maxDocumentBytes));
	}

	/**
	 * List the sessions branched off a session (forks and edits) that still exist,
	 * newest first.
	 * @param sessionId the session
	 * @param page the zero-based page
	 * @param size the page size
	 * @param owner the user who must own the session, or {@code null} for any
	 * @return the page
	 * @throws SessionNotFoundException if the session does not exist or is another user's
	 */
	public PagedResult<ChatSession> listBranches(String sessionId, int page, int size, @Nullable String owner) {
		ChatSession source = ownSession(sessionId, owner);
		int checkedPage = this.validator.page(page);
		int checkedSize = this.validator.limit("size", size);
		PagedResult<ChatSession> branches = this.store.findBranches(sessionId, checkedPage, checkedSize);
		// a branch replaced by an import of another user's session is no branch of this one any
		// more: it leaves the list, so that pages and totals stay right for every caller
		List<ChatSession> foreign = branches.items()
			.stream()
			.filter((branch) -> !Objects.equals(source.userId(), branch.userId()))
			.toList();
		if (foreign.isEmpty()) {
			return branches;
		}
		foreign.forEach((branch) -> this.store.removeBranch(sessionId, branch.id()));
		PagedResult<ChatSession> again = this.store.findBranches(sessionId, checkedPage, checkedSize);
		return new PagedResult<>(
				again.items().stream().filter((branch) -> Objects.equals(source.userId(), branch.userId())).toList(),
				again.page(), again.size(), again.totalItems());
	}

	private ChatSession ownSession(String sessionId, @Nullable String owner) {
		ChatSession session = getSession(this.validator.id("sessionId", sessionId));
		if (owner(owner) != null && !owner.equals(session.userId())) {
			throw new SessionNotFoundException(sessionId);
		}
		return session;
	}

	private StoredMessage message(String sessionId, String field, String messageId) {
		String id = this.validator.id(field, messageId);
		return this.store.findMessage(sessionId, id).orElseThrow(() -> new MessageNotFoundException(sessionId, id));
	}

	/**
	 * Write a branch: validated and held to the owner's session limit first, listed in its
	 * source before it is written (a crash between leaves an entry that listings drop,
	 * never a branch that is not listed), then written under its new id. The entry is
	 * taken back only when the write certainly did not happen: after a store failure the
	 * branch may have been written (a timeout while Redis ran the import), and an entry
	 * whose branch is missing costs nothing.
	 */
	private ChatSession createBranch(ChatSession source, SessionSnapshot snapshot) {
		SessionSnapshot prepared = this.sessionImport.prepare(snapshot);
		ChatSession branch = prepared.session();
		if (branch.userId() != null) {
			checkSessionLimit("sessionId", branch.userId());
		}
		if (!this.store.addBranch(source.id(), branch.id(), branch.createdAt())) {
			throw new SessionNotFoundException(source.id());
		}
		try {
			return this.store.importSession(branch, prepared.messages(), prepared.summaries(), false, null, null);
		}
		catch (ChatMemoryValidationException | SessionException ex) {
			try {
				this.store.removeBranch(source.id(), branch.id());
			}
			catch (RuntimeException cleanup) {
				ex.addSuppressed(cleanup);
			}
			throw ex;
		}
	}

	/**
	 * Refuse a new session for a user who has as many as allowed. The count and the write
	 * are two store calls, so concurrent creations can pass the limit by a few; the limit
	 * bounds what one user can pile up, it is not an exact quota.
	 */
	private void checkSessionLimit(String field, String userId) {
		if (this.maxSessionsPerUser > 0
				&& this.store.findSessionsByUser(userId, 0, 1).totalItems() >= this.maxSessionsPerUser) {
			throw new ChatMemoryValidationException(field, "has reached the limit of " + this.maxSessionsPerUser
					+ " sessions per user (chat-memory.validation.max-sessions-per-user); delete one first");
		}
	}

	/**
	 * Read the statistics of the memory: cheap, from counters and index sizes.
	 * @return the statistics
	 */
	public ChatMemoryStatistics getStatistics() {
		return this.store.statistics();
	}

	/**
	 * Delete every session without activity for the given age, and remember the run for
	 * the statistics.
	 * @param maxAge how long a session may be inactive
	 * @return how many sessions were deleted
	 */
	public long cleanupOlderThan(Duration maxAge) {
		if (maxAge.isNegative() || maxAge.isZero()) {
			throw new ChatMemoryValidationException("maxAge", "must be positive but was " + maxAge);
		}
		return this.retention.deleteInactiveFor(maxAge);
	}

	/**
	 * Builds a {@link ChatMemoryManager}.
	 */
	public static final class Builder {

		private final ChatMemoryStore store;

		private ValidationRules rules = ValidationRules.defaults();

		private WindowPolicy windowPolicy = WindowPolicy.ofMessages(20);

		private @Nullable MessageTokenCounter tokenCounter;

		private Clock clock = Clock.systemUTC();

		private KeywordSearch.Limits searchLimits = KeywordSearch.Limits.defaults();

		private int maxSessionsPerUser = DEFAULT_MAX_SESSIONS_PER_USER;

		private Consumer<ContextWindow> windowListener = (window) -> {
		};

		private @Nullable ChatMemorySummarizer summarizer;

		private SummarySettings summarySettings = SummarySettings.defaults();

		private int summaryThreads = 1;

		private int summaryQueueCapacity = 100;

		private SummaryListener summaryListener = SummaryListener.NONE;

		private @Nullable ChatMemoryRecall recall;

		private Builder(ChatMemoryStore store) {
			this.store = store;
		}

		/**
		 * Set the limits on input.
		 * @param rules the rules
		 * @return this builder
		 */
		public Builder validationRules(ValidationRules rules) {
			this.rules = rules;
			return this;
		}

		/**
		 * Set the window policy used when a call gives none.
		 * @param windowPolicy the policy
		 * @return this builder
		 */
		public Builder defaultWindowPolicy(WindowPolicy windowPolicy) {
			this.windowPolicy = windowPolicy;
			return this;
		}

		/**
		 * Set how tokens are counted for windows; JTokkit's estimator by default.
		 * @param tokenCounter the counter
		 * @return this builder
		 */
		public Builder tokenCounter(MessageTokenCounter tokenCounter) {
			this.tokenCounter = tokenCounter;
			return this;
		}

		/**
		 * Set the clock that retention measures age with.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = clock;
			return this;
		}

		/**
		 * Set the most messages one keyword search reads.
		 * @param maxScannedMessages the limit
		 * @return this builder
		 */
		public Builder maxScannedMessages(int maxScannedMessages) {
			if (maxScannedMessages < 1) {
				throw new IllegalArgumentException("maxScannedMessages must be positive but was " + maxScannedMessages);
			}
			this.searchLimits = this.searchLimits.withMaxScannedMessages(maxScannedMessages);
			return this;
		}

		/**
		 * Set what one keyword search may read and how long it may take.
		 * @param searchLimits the limits
		 * @return this builder
		 */
		public Builder searchLimits(KeywordSearch.Limits searchLimits) {
			this.searchLimits = searchLimits;
			return this;
		}

		/**
		 * Set the most sessions one user may own; 0 for no limit.
		 * @param maxSessionsPerUser the limit
		 * @return this builder
		 */
		public Builder maxSessionsPerUser(int maxSessionsPerUser) {
			if (maxSessionsPerUser < 0) {
				throw new IllegalArgumentException("maxSessionsPerUser must not be negative but was " + maxSessionsPerUser);
			}
			this.maxSessionsPerUser = maxSessionsPerUser;
			return this;
		}

		/**
		 * Set a listener told of every context window built, for metrics.
		 * @param windowListener the listener
		 * @return this builder
		 */
		public Builder contextWindowListener(Consumer<ContextWindow> windowListener) {
			this.windowListener = windowListener;
			return this;
		}

		/**
		 * Turn summaries on: windows hold the session's latest summary after the pinned
		 * system message, and summaries are made off the request path as windows leave
		 * messages out.
		 * @param summarizer writes the summaries
		 * @param settings when and how much to summarize
		 * @return this builder
		 */
		public Builder summaries(ChatMemorySummarizer summarizer, SummarySettings settings) {
			this.summarizer = summarizer;
			this.summarySettings = settings;
			return this;
		}

		/**
		 * Set how summaries are run: 1 thread and 100 waiting runs by default.
		 * @param threads the most runs at a time
		 * @param queueCapacity the most runs waiting; more are dropped and counted
		 * @param listener told what becomes of each run
		 * @return this builder
		 */
		public Builder summaryExecution(int threads, int queueCapacity, SummaryListener listener) {
			this.summaryThreads = threads;
			this.summaryQueueCapacity = queueCapacity;
			this.summaryListener = listener;
			return this;
		}

		/**
		 * Turn semantic recall on.
		 * @param recall finds messages by meaning
		 * @return this builder
		 */
		public Builder recall(ChatMemoryRecall recall) {
			this.recall = recall;
			return this;
		}

		/**
		 * Build the manager.
		 * @return the manager
		 */
		public ChatMemoryManager build() {
			return new ChatMemoryManager(this);
		}

	}

}
