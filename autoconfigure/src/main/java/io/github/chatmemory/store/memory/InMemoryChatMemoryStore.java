package io.github.chatmemory.store.memory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.IdempotencyConflictException;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.RetentionRun;
import io.github.chatmemory.SessionAlreadyExistsException;
import io.github.chatmemory.SessionInactiveException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.SessionVersionConflictException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.VersionedMessages;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.RecallTask;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A {@link ChatMemoryStore} in the JVM heap, for tests, demos and single-instance
 * applications. Thread-safe under one read-write lock, and bounded: past
 * {@code maxSessions} the session with the oldest activity is evicted, past
 * {@code maxHistory} a session's oldest messages are trimmed, and past {@code maxBytes}
 * (an estimate of the heap the sessions take) the sessions with the oldest activity are
 * evicted, then, if one session alone is over, its oldest messages are trimmed.
 * <p>
 * Once {@link #enableRecallTasks()} is called, every write that changes a session's
 * messages queues a recall task under the same lock. Tasks are kept one per session and
 * at most {@code 2 * maxSessions} in all, so that the tasks of sessions that are gone
 * (their vectors to remove) cannot grow without bound: past it, the oldest task of a gone
 * session is dropped, and that session's vectors stay in the index until a recall meets
 * one (recall never returns a message the store no longer holds, and queues the
 * session's removal then) or a re-index.
 */
public class InMemoryChatMemoryStore implements ChatMemoryStore {

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	/** Sessions in order of last activity, oldest first, so eviction takes the head. */
	private final LinkedHashMap<String, SessionState> sessions = new LinkedHashMap<>();

	private final Map<String, Set<String>> sessionsByUser = new HashMap<>();

	/** The session each branch was made from, so that a removed branch leaves its source's list. */
	private final Map<String, String> branchSources = new HashMap<>();

	private long messageCount;

	private @Nullable RetentionRun lastRetention;

	private final int maxSessions;

	private final int maxHistory;

	private final long maxBytes;

	/** The estimated heap taken by all sessions, as {@link HeapEstimate} weighs them. */
	private long bytes;

	private final Clock clock;

	/** Whether writes queue recall tasks; set once at startup, read under the lock. */
	private boolean recallTasksEnabled;

	/** One task per session, in order of when each was first queued, oldest first. */
	private final LinkedHashMap<String, QueuedRecallTask> recallTasks = new LinkedHashMap<>();

	/** The last stamp given to a recall task: store-wide, so that stamps never repeat. */
	private long recallStamp;

	/**
	 * Create a store bounded to {@link #DEFAULT_MAX_BYTES} of estimated heap.
	 * @param maxSessions the maximum number of sessions kept
	 * @param maxHistory the maximum number of messages kept per session
	 * @param clock the clock for timestamps
	 */
	public InMemoryChatMemoryStore(int maxSessions, int maxHistory, Clock clock) {
		this(maxSessions, maxHistory, DEFAULT_MAX_BYTES, clock);
	}

	/**
	 * Create a store.
	 * @param maxSessions the maximum number of sessions kept
	 * @param maxHistory the maximum number of messages kept per session
	 * @param maxBytes the maximum estimated heap taken by all sessions
	 * @param clock the clock for timestamps
	 */
	public InMemoryChatMemoryStore(int maxSessions, int maxHistory, long maxBytes, Clock clock) {
		Assert.isTrue(maxSessions > 0, "maxSessions must be positive");
		Assert.isTrue(maxHistory > 0, "maxHistory must be positive");
		Assert.isTrue(maxBytes > 0, "maxBytes must be positive");
		this.maxSessions = maxSessions;
		this.maxHistory = maxHistory;
		this.maxBytes = maxBytes;
		this.clock = clock;
	}

	/** The default bound on the estimated heap taken by all sessions: 256 MB. */
	public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

	/**
	 * Return the estimated heap taken by all sessions.
	 * @return the estimate, in bytes
	 */
	public long estimatedBytes() {
		return read(() -> this.bytes);
	}

	@Override
	public String type() {
		return "in-memory";
	}

	@Override
	public void ping() {
		// the heap is always there
	}

	@Override
	public ChatSession createSession(String id, String userId, String title, Map<String, Object> metadata) {
		return write(() -> {
			if (this.sessions.containsKey(id)) {
				throw new SessionAlreadyExistsException(id);
			}
			SessionState state = new SessionState(id, userId, title, metadata, now());
			state.version = 1;
			add(state);
			return state.toSession();
		});
	}

	@Override
	public Optional<ChatSession> findSession(String id) {
		return read(() -> Optional.ofNullable(this.sessions.get(id)).map(SessionState::toSession));
	}

	@Override
	public ChatSession updateSession(String id, SessionUpdate update, @Nullable String owner) {
		return write(() -> {
			SessionState state = existing(id, owner);
			checkVersion(state, update.expectedVersion());
			if (update.title() != null) {
				state.title = update.title();
			}
			if (update.active() != null) {
				state.active = update.active();
			}
			touch(state);
			return state.toSession();
		});
	}

	@Override
	public boolean deleteSession(String id, @Nullable String owner) {
		return write(() -> {
			SessionState state = this.sessions.get(id);
			if (state == null || !ownedBy(state, owner)) {
				return false;
			}
			removeWithBranches(id);
			return true;
		});
	}

	@Override
	public VersionedMessages append(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			@Nullable String owner, @Nullable Long expectedVersion) {
		return write(() -> {
			SessionState state = this.sessions.get(sessionId);
			if (state != null && !ownedBy(state, owner)) {
				throw new SessionNotFoundException(sessionId);
			}
			if (state == null && (owner != null || expectedVersion != null)) {
				// a session made for nobody is never the owner's: as the Redis store decides
				throw new SessionNotFoundException(sessionId);
			}
			if (state == null) {
				if (!createIfMissing) {
					throw new SessionNotFoundException(sessionId);
				}
				// a refused batch must not leave a new empty session behind
				checkBatch(sessionId, Map.of(), messages);
				state = new SessionState(sessionId, null, "", Map.of(), now());
				add(state);
			}
			long before = state.version;
			long lastSequence = state.sequence;
			List<StoredMessage> stored = appendTo(state, messages, Map.of(), false, expectedVersion);
			if (state.sequence != lastSequence) {
				// only new messages: a retry that stored nothing queues nothing
				queueRecallTask(sessionId, lastSequence + 1);
			}
			// a retry that wrote nothing has no version of its own: the session's current one may
			// already hold another writer's changes, which the caller has not seen
			return new VersionedMessages(stored, (state.version != before) ? state.version : null);
		});
	}

	@Override
	public List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages) {
		return write(() -> {
			SessionState state = this.sessions.get(sessionId);
			if (state != null && !state.active) {
				// checked before clearing: a rejected replacement must change nothing
				throw new SessionInactiveException(sessionId);
			}
			checkBatch(sessionId, Map.of(), messages);
			Map<String, StoredMessage> previous = (state != null) ? new HashMap<>(state.ids) : Map.of();
			if (state == null) {
				state = new SessionState(sessionId, null, "", Map.of(), now());
				add(state);
			}
			state.clear();
			List<StoredMessage> stored = appendTo(state, messages, previous, true, null);
			queueRecallRebuildOf(sessionId);
			return stored;
		});
	}

	/**
	 * Append messages; a message that repeats one replaced under the same id keeps that
	 * one's creation time, as Spring AI's repositories keep it across re-saves.
	 */
	private List<StoredMessage> appendTo(SessionState state, List<NewMessage> messages,
			Map<String, StoredMessage> replaced, boolean replace, @Nullable Long expectedVersion) {
		if (!state.active) {
			throw new SessionInactiveException(state.id);
		}
		checkBatch(state.id, state.ids, messages);
		if (expectedVersion != null && messages.stream().anyMatch((message) -> !state.ids.containsKey(message.id()))) {
			// only a write is checked: a retry of messages all stored already returns them
			checkVersion(state, expectedVersion);
		}
		Instant now = now();
		List<StoredMessage> stored = new ArrayList<>(messages.size());
		int added = 0;
		for (NewMessage message : messages) {
			Assert.notNull(message.id(), "Messages must have an id before they reach the store");
			StoredMessage existing = state.ids.get(message.id());
			if (existing != null) {
				stored.add(existing);
				continue;
			}
			StoredMessage previous = replaced.get(message.id());
			Instant createdAt = (previous != null && message.isSameMessageAs(previous)) ? previous.createdAt() : now;
			StoredMessage created = new StoredMessage(message.id(), state.id, ++state.sequence, message.role(),
					message.content(), message.metadata(), message.responseTo(), message.toolCalls(),
					message.toolResponses(), createdAt, message.media());
			state.add(created);
			stored.add(created);
			added++;
		}
		if (added == 0 && !replace) {
			// a retry of messages that are all stored already changes nothing, not even the activity
			return stored;
		}
		while (state.messages.size() > this.maxHistory) {
			state.removeOldest();
		}
		touch(state);
		evictOverBytes(state);
		return stored;
	}

	/**
	 * Check, before anything is stored, that a known id comes with the message stored
	 * under it, and that every new message answers a message of the session or an
	 * earlier one of the same batch.
	 */
	private static void checkBatch(String sessionId, Map<String, StoredMessage> stored, List<NewMessage> messages) {
		Map<String, NewMessage> batch = new HashMap<>();
		for (int i = 0; i < messages.size(); i++) {
			NewMessage message = messages.get(i);
			StoredMessage known = stored.get(message.id());
			NewMessage earlier = batch.get(message.id());
			if ((known != null && !message.isSameMessageAs(known))
					|| (earlier != null && !message.isSameMessageAs(earlier))) {
				throw new IdempotencyConflictException(sessionId, message.id());
			}
			if (known != null || earlier != null) {
				continue;
			}
			if (message.responseTo() != null && !stored.containsKey(message.responseTo())
					&& !batch.containsKey(message.responseTo())) {
				throw new ChatMemoryValidationException("messages[" + i + "].responseTo",
						"must name a message of the session but was '" + message.responseTo() + "'");
			}
			batch.put(message.id(), message);
		}
	}

	@Override
	public VersionedMessages readVersionedMessages(String sessionId, MessageQuery query) {
		return read(() -> {
			SessionState state = existing(sessionId);
			List<StoredMessage> messages = state.messages;
			if (query.forward()) {
				int from = indexAfter(messages, query.after());
				return new VersionedMessages(
						copy(messages.subList(from, Math.min(messages.size(), from + query.limit())), query.includeMedia()),
						state.version);
			}
			int to = (query.before() != null) ? indexAfter(messages, query.before() - 1) : messages.size();
			return new VersionedMessages(copy(messages.subList(Math.max(0, to - query.limit()), to), query.includeMedia()),
					state.version);
		});
	}

	@Override
	public Optional<StoredMessage> findMessage(String sessionId, String messageId) {
		return read(() -> Optional.ofNullable(existing(sessionId).ids.get(messageId)));
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia, boolean withSummary) {
		return read(() -> {
			RecentMessages recent = readRecent(sessionId, limit, includeMedia);
			SessionState state = this.sessions.get(sessionId);
			return (withSummary && state != null) ? recent.withLatestSummary(state.summaries.peekFirst()) : recent;
		});
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia) {
		return read(() -> {
			SessionState state = this.sessions.get(sessionId);
			if (state == null) {
				return new RecentMessages(false, 0, null, List.of());
			}
			List<StoredMessage> messages = state.messages;
			StoredMessage system = state.latestSystem;
			boolean trimmed = system != null && (messages.isEmpty() || system.sequence() < messages.get(0).sequence());
			if (system != null && !includeMedia) {
				system = system.withoutMedia();
			}
			return new RecentMessages(true, messages.size(), trimmed ? null : system,
					copy(messages.subList(Math.max(0, messages.size() - limit), messages.size()), includeMedia));
		});
	}

	/**
	 * Copy a range of messages for a reader: the messages are immutable and shared, so
	 * neither way copies media bytes.
	 */
	private static List<StoredMessage> copy(List<StoredMessage> messages, boolean includeMedia) {
		return includeMedia ? List.copyOf(messages) : messages.stream().map(StoredMessage::withoutMedia).toList();
	}

	/**
	 * The index of the first message whose sequence is greater than the given one.
	 */
	private static int indexAfter(List<StoredMessage> messages, long sequence) {
		int low = 0;
		int high = messages.size();
		while (low < high) {
			int mid = (low + high) >>> 1;
			if (messages.get(mid).sequence() <= sequence) {
				low = mid + 1;
			}
			else {
				high = mid;
			}
		}
		return low;
	}

	@Override
	public void clearMessages(String sessionId, @Nullable String owner) {
		write(() -> {
			SessionState state = existing(sessionId, owner);
			state.clear();
			touch(state);
			queueRecallRebuildOf(sessionId);
			return null;
		});
	}

	@Override
	public PagedResult<ChatSession> findSessionsByUser(String userId, int page, int size) {
		return read(() -> {
			List<SessionState> owned = new ArrayList<>();
			for (String id : this.sessionsByUser.getOrDefault(userId, Set.of())) {
				owned.add(this.sessions.get(id));
			}
			owned.sort(Comparator.comparing((SessionState state) -> state.updatedAt).reversed());
			long start = (long) page * size;
			List<ChatSession> items = owned.stream().skip(start).limit(size).map(SessionState::toSession).toList();
			return new PagedResult<>(items, page, size, owned.size());
		});
	}

	@Override
	public List<String> findSessionIds(int limit) {
		return read(() -> {
			List<String> ids = new ArrayList<>(this.sessions.keySet());
			// the map is ordered oldest activity first
			java.util.Collections.reverse(ids);
			return List.copyOf(ids.subList(0, Math.min(limit, ids.size())));
		});
	}

	@Override
	public ChatSession importSession(ChatSession session, List<StoredMessage> messages, List<StoredSummary> summaries,
			boolean replaceExisting, @Nullable String owner, @Nullable Long expectedVersion) {
		return write(() -> {
			SessionState existing = this.sessions.get(session.id());
			if (existing == null && expectedVersion != null) {
				throw new SessionNotFoundException(session.id());
			}
			if (existing != null) {
				if (!replaceExisting) {
					throw new SessionAlreadyExistsException(session.id());
				}
				if (!ownedBy(existing, owner)) {
					throw new SessionNotFoundException(session.id());
				}
				checkVersion(existing, expectedVersion);
				// the replaced session's branches stay listed, as they stay sessions
				remove(session.id());
			}
			SessionState state = new SessionState(session.id(), session.userId(), session.title(), session.metadata(),
					session.createdAt());
			state.version = (existing != null) ? existing.version + 1 : 1;
			state.historyRewrittenAt = state.version;
			if (existing != null) {
				state.branches.putAll(existing.branches);
			}
			state.active = session.active();
			state.updatedAt = session.updatedAt();
			List<StoredMessage> kept = messages.subList(Math.max(0, messages.size() - this.maxHistory),
					messages.size());
			for (StoredMessage message : kept) {
				state.add(message);
				state.sequence = message.sequence();
			}
			summaries.stream()
				.skip(Math.max(0, summaries.size() - StoredSummary.MAX_PER_SESSION))
				.forEach(state::addSummary);
			add(state);
			queueRecallRebuildOf(session.id());
			return state.toSession();
		});
	}

	@Override
	public Optional<StoredSummary> findLatestSummary(String sessionId) {
		return read(() -> Optional.ofNullable(this.sessions.get(sessionId))
			.map((state) -> state.summaries.peekFirst()));
	}

	@Override
	public PagedResult<StoredSummary> findSummaries(String sessionId, int page, int size) {
		return read(() -> {
			SessionState state = existing(sessionId);
			List<StoredSummary> items = state.summaries.stream().skip((long) page * size).limit(size).toList();
			return new PagedResult<>(items, page, size, state.summaries.size());
		});
	}

	@Override
	public SummaryWrite saveSummary(StoredSummary summary, Instant sessionCreatedAt, long sessionVersion) {
		return write(() -> {
			SessionState state = this.sessions.get(summary.sessionId());
			if (state == null || !state.createdAt.equals(sessionCreatedAt)) {
				// gone, or another session created under the same id since the run read it
				return SummaryWrite.SESSION_NOT_FOUND;
			}
			StoredSummary latest = state.summaries.peekFirst();
			if (!Objects.equals((latest != null) ? latest.id() : null, summary.extendsId())) {
				return SummaryWrite.PREVIOUS_CHANGED;
			}
			StoredMessage covered = state.ids.get(summary.toMessageId());
			if (covered == null || covered.sequence() != summary.toSequence()
					|| state.historyRewrittenAt > sessionVersion) {
				// an import may keep ids and sequences while it changes what they say
				return SummaryWrite.MESSAGES_CHANGED;
			}
			state.addSummary(summary);
			evictOverBytes(state);
			return SummaryWrite.STORED;
		});
	}

	@Override
	public boolean deleteSessionIfInactiveSince(String id, Instant cutoff) {
		return write(() -> {
			SessionState state = this.sessions.get(id);
			if (state == null || !state.updatedAt.isBefore(cutoff)) {
				return false;
			}
			removeWithBranches(id);
			return true;
		});
	}

	@Override
	public List<String> findSessionIdsInactiveSince(Instant cutoff, int limit) {
		return read(() -> this.sessions.values()
			.stream()
			.filter((state) -> state.updatedAt.isBefore(cutoff))
			.sorted(Comparator.comparing((SessionState state) -> state.updatedAt))
			.limit(limit)
			.map((state) -> state.id)
			.toList());
	}

	@Override
	public ChatMemoryStatistics statistics() {
		return read(() -> {
			long active = this.sessions.values().stream().filter((state) -> state.active).count();
			return new ChatMemoryStatistics(type(), this.sessions.size(), active, this.messageCount,
					this.sessionsByUser.size(), this.lastRetention);
		});
	}

	@Override
	public void recordRetentionRun(RetentionRun run) {
		write(() -> {
			this.lastRetention = run;
			return null;
		});
	}

	@Override
	public boolean addBranch(String sessionId, String branchId, Instant createdAt) {
		return write(() -> {
			SessionState state = this.sessions.get(sessionId);
			if (state == null) {
				return false;
			}
			state.branches.put(branchId, createdAt);
			this.branchSources.put(branchId, sessionId);
			return true;
		});
	}

	@Override
	public void removeBranch(String sessionId, String branchId) {
		write(() -> {
			SessionState state = this.sessions.get(sessionId);
			if (state != null) {
				state.branches.remove(branchId);
			}
			this.branchSources.remove(branchId, sessionId);
			return null;
		});
	}

	@Override
	public PagedResult<ChatSession> findBranches(String sessionId, int page, int size) {
		return read(() -> {
			List<SessionState> branches = new ArrayList<>();
			existing(sessionId).branches.forEach((id, createdAt) -> {
				SessionState branch = this.sessions.get(id);
				if (branch != null) {
					branches.add(branch);
				}
			});
			Map<String, Instant> made = this.sessions.get(sessionId).branches;
			branches.sort(Comparator.comparing((SessionState branch) -> made.get(branch.id))
				.reversed()
				.thenComparing((branch) -> branch.id));
			List<ChatSession> items = branches.stream()
				.skip((long) page * size)
				.limit(size)
				.map(SessionState::toSession)
				.toList();
			return new PagedResult<>(items, page, size, branches.size());
		});
	}

	@Override
	public void enableRecallTasks() {
		write(() -> this.recallTasksEnabled = true);
	}

	@Override
	public boolean isRecallTasksEnabled() {
		return read(() -> this.recallTasksEnabled);
	}

	@Override
	public List<RecallTask> findRecallTasks(int limit) {
		return read(() -> this.recallTasks.values().stream().limit(limit).map(QueuedRecallTask::toTask).toList());
	}

	@Override
	public boolean completeRecallTask(RecallTask task, long indexedThroughSequence, boolean finished) {
		return write(() -> {
			QueuedRecallTask queued = this.recallTasks.get(task.sessionId());
			if (queued == null) {
				// removed already, by this completion tried before
				return true;
			}
			if (queued.stamp == task.stamp()) {
				if (finished) {
					this.recallTasks.remove(task.sessionId());
					return true;
				}
				// the vectors a rebuild had to remove are removed: what is left is to go on
				queued.rebuild = false;
				queued.fromSequence = indexedThroughSequence + 1;
			}
			else if (!queued.rebuild) {
				queued.fromSequence = Math.max(queued.fromSequence, indexedThroughSequence + 1);
			}
			return false;
		});
	}

	@Override
	public long countRecallTasks() {
		return read(() -> (long) this.recallTasks.size());
	}

	@Override
	public void queueRecallRebuild(String sessionId) {
		write(() -> {
			requireRecallTasks();
			queueRecallRebuildOf(sessionId);
			return null;
		});
	}

	@Override
	public long queueRecallRebuildOfAllSessions() {
		return write(() -> {
			requireRecallTasks();
			for (String id : this.sessions.keySet()) {
				queueRecallRebuildOf(id);
			}
			return (long) this.sessions.size();
		});
	}

	private void requireRecallTasks() {
		if (!this.recallTasksEnabled) {
			throw new IllegalStateException("Recall tasks are not enabled: call enableRecallTasks() first");
		}
	}

	/**
	 * Queue, or extend, a task to index a session's messages from a sequence on; a
	 * rebuild queued already stays a rebuild. Called under the write lock.
	 */
	private void queueRecallTask(String sessionId, long fromSequence) {
		if (!this.recallTasksEnabled) {
			return;
		}
		QueuedRecallTask queued = this.recallTasks.get(sessionId);
		if (queued != null) {
			queued.stamp = ++this.recallStamp;
			queued.fromSequence = Math.min(queued.fromSequence, fromSequence);
			return;
		}
		this.recallTasks.put(sessionId, new QueuedRecallTask(sessionId, ++this.recallStamp, fromSequence, false));
		dropRecallTasksOverBound();
	}

	/**
	 * Queue a rebuild of a session's vectors, merged into its task if it has one. Called
	 * under the write lock.
	 */
	private void queueRecallRebuildOf(String sessionId) {
		if (!this.recallTasksEnabled) {
			return;
		}
		QueuedRecallTask queued = this.recallTasks.get(sessionId);
		if (queued != null) {
			queued.stamp = ++this.recallStamp;
			queued.rebuild = true;
			queued.fromSequence = 1;
			return;
		}
		this.recallTasks.put(sessionId, new QueuedRecallTask(sessionId, ++this.recallStamp, 1, true));
		dropRecallTasksOverBound();
	}

	/**
	 * Keep the tasks of sessions that are gone within {@code maxSessions}, on top of at
	 * most one task per live session: drop the oldest task of a gone session.
	 */
	private void dropRecallTasksOverBound() {
		if (this.recallTasks.size() <= 2L * this.maxSessions) {
			return;
		}
		var tasks = this.recallTasks.keySet().iterator();
		while (tasks.hasNext()) {
			if (!this.sessions.containsKey(tasks.next())) {
				tasks.remove();
				return;
			}
		}
	}

	/**
	 * Refuse a write that expects another version than the session's.
	 */
	private static void checkVersion(SessionState state, @Nullable Long expectedVersion) {
		if (expectedVersion != null && expectedVersion != state.version) {
			throw new SessionVersionConflictException(state.id, expectedVersion, state.version);
		}
	}

	private SessionState existing(String id) {
		return existing(id, null);
	}

	private SessionState existing(String id, @Nullable String owner) {
		SessionState state = this.sessions.get(id);
		if (state == null || !ownedBy(state, owner)) {
			throw new SessionNotFoundException(id);
		}
		return state;
	}

	private static boolean ownedBy(SessionState state, @Nullable String owner) {
		return owner == null || owner.equals(state.userId);
	}

	private void add(SessionState state) {
		this.sessions.put(state.id, state);
		this.bytes += state.bytes;
		if (state.userId != null) {
			this.sessionsByUser.computeIfAbsent(state.userId, (user) -> new HashSet<>()).add(state.id);
		}
		// the map's head is the session with the oldest activity
		while (this.sessions.size() > this.maxSessions) {
			removeWithBranches(this.sessions.keySet().iterator().next());
		}
		evictOverBytes(state);
	}

	/**
	 * Bring the estimated heap under its bound: evict the sessions with the oldest
	 * activity other than the one just written, then trim that one's oldest messages,
	 * always keeping its newest.
	 */
	private void evictOverBytes(SessionState written) {
		while (this.bytes > this.maxBytes && this.sessions.size() > 1) {
			String oldest = this.sessions.keySet().iterator().next();
			if (oldest.equals(written.id)) {
				break;
			}
			removeWithBranches(oldest);
		}
		while (this.bytes > this.maxBytes && written.messages.size() > 1) {
			written.removeOldest();
		}
	}

	/**
	 * Remove a session for good: it leaves the list of the session it was branched from,
	 * and its own list of branches goes with it.
	 */
	private void removeWithBranches(String id) {
		SessionState state = remove(id);
		if (state != null) {
			queueRecallRebuildOf(id);
		}
		String source = this.branchSources.remove(id);
		SessionState sourceState = (source != null) ? this.sessions.get(source) : null;
		if (sourceState != null) {
			sourceState.branches.remove(id);
		}
		if (state != null) {
			state.branches.keySet().forEach((branch) -> this.branchSources.remove(branch, id));
		}
	}

	private @Nullable SessionState remove(String id) {
		SessionState state = this.sessions.remove(id);
		if (state != null) {
			this.messageCount -= state.messages.size();
			this.bytes -= state.bytes;
		}
		if (state != null && state.userId != null) {
			Set<String> owned = this.sessionsByUser.get(state.userId);
			owned.remove(id);
			if (owned.isEmpty()) {
				this.sessionsByUser.remove(state.userId);
			}
		}
		return state;
	}

	/** Record activity: move the session to the newest end of the eviction order. */
	private void touch(SessionState state) {
		state.version++;
		state.updatedAt = now();
		this.sessions.remove(state.id);
		this.sessions.put(state.id, state);
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	private <T> T read(Supplier<T> action) {
		this.lock.readLock().lock();
		try {
			return action.get();
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	private <T> T write(Supplier<T> action) {
		this.lock.writeLock().lock();
		try {
			return action.get();
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/** A session's queued recall task, changed in place as writes merge into it. */
	private static final class QueuedRecallTask {

		final String sessionId;

		long stamp;

		long fromSequence;

		boolean rebuild;

		QueuedRecallTask(String sessionId, long stamp, long fromSequence, boolean rebuild) {
			this.sessionId = sessionId;
			this.stamp = stamp;
			this.fromSequence = fromSequence;
			this.rebuild = rebuild;
		}

		RecallTask toTask() {
			return new RecallTask(this.sessionId, this.stamp, this.fromSequence, this.rebuild);
		}

	}

	private final class SessionState {

		final String id;

		final @Nullable String userId;

		final Map<String, Object> metadata;

		final Instant createdAt;

		final MessageLog messages = new MessageLog();

		final Map<String, StoredMessage> ids = new HashMap<>();

		/** The sessions branched off this one, with when each was made. */
		final Map<String, Instant> branches = new HashMap<>();

		/** Moves on every write; 0 until the first write of a session created implicitly. */
		long version;

		/** The version at which an import last wrote this session's history. */
		long historyRewrittenAt;

		String title;

		boolean active = true;

		Instant updatedAt;

		long sequence;

		@Nullable StoredMessage latestSystem;

		/** Newest first, at most {@link StoredSummary#MAX_PER_SESSION}. */
		final Deque<StoredSummary> summaries = new ArrayDeque<>();

		/** The estimated heap this session takes; counted in the store's total. */
		long bytes;

		SessionState(String id, @Nullable String userId, String title, Map<String, Object> metadata, Instant now) {
			this.id = id;
			this.userId = userId;
			this.title = title;
			this.metadata = metadata;
			this.createdAt = now;
			this.updatedAt = now;
			this.bytes = HeapEstimate.session(id, userId, metadata);
		}

		/** Add a message; the session must be in the store's map, or be added after. */
		void add(StoredMessage message) {
			this.messages.add(message);
			this.ids.put(message.id(), message);
			InMemoryChatMemoryStore.this.messageCount++;
			if (message.role() == MessageRole.SYSTEM) {
				this.latestSystem = message;
			}
			grow(HeapEstimate.message(message));
		}

		void removeOldest() {
			StoredMessage oldest = this.messages.removeOldest();
			this.ids.remove(oldest.id());
			InMemoryChatMemoryStore.this.messageCount--;
			grow(-HeapEstimate.message(oldest));
		}

		void addSummary(StoredSummary summary) {
			this.summaries.addFirst(summary);
			grow(HeapEstimate.summary(summary));
			if (this.summaries.size() > StoredSummary.MAX_PER_SESSION) {
				grow(-HeapEstimate.summary(this.summaries.removeLast()));
			}
		}

		/**
		 * Remove every message, and the summaries with them: they would cover messages
		 * that are gone, and hold their content.
		 */
		void clear() {
			for (StoredSummary summary : this.summaries) {
				grow(-HeapEstimate.summary(summary));
			}
			this.summaries.clear();
			InMemoryChatMemoryStore.this.messageCount -= this.messages.size();
			for (StoredMessage message : this.messages) {
				grow(-HeapEstimate.message(message));
			}
			this.messages.clear();
			this.ids.clear();
			this.latestSystem = null;
		}

		private void grow(long delta) {
			this.bytes += delta;
			if (InMemoryChatMemoryStore.this.sessions.get(this.id) == this) {
				InMemoryChatMemoryStore.this.bytes += delta;
			}
		}

		ChatSession toSession() {
			return new ChatSession(this.id, this.userId, this.title, this.metadata, this.active, this.createdAt,
					this.updatedAt, this.messages.size(), this.version);
		}

	}

}
