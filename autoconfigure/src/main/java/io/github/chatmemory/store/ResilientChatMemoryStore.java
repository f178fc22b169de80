package io.github.chatmemory.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.RetentionRun;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.VersionedMessages;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * The one failure boundary around a {@link ChatMemoryStore}: failures that mean the store
 * cannot serve now become {@link io.github.chatmemory.ChatMemoryUnavailableException}
 * (see {@link StoreFailures}), and the operations that are safe to repeat (reads, and
 * appends, whose messages always carry ids) are retried after a lost connection or a
 * transient server reply. Creating, deleting, clearing, replacing, importing and
 * version-checked updates are never retried: a retry after a write that did land would
 * report a wrong outcome.
 */
public class ResilientChatMemoryStore implements ChatMemoryStore {

	/** Retries after the first attempt. */
	static final int MAX_RETRIES = 2;

	private final ChatMemoryStore delegate;

	private final RetryTemplate retry;

	/**
	 * Wrap a store.
	 * @param delegate the store
	 */
	public ResilientChatMemoryStore(ChatMemoryStore delegate) {
		this.delegate = delegate;
		this.retry = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(MAX_RETRIES)
			.delay(Duration.ofMillis(50))
			.multiplier(3)
			.maxDelay(Duration.ofMillis(500))
			.predicate(StoreFailures::isRetryable)
			.build());
	}

	/**
	 * Wrap a store unless it is wrapped already.
	 * @param store the store
	 * @return a resilient store
	 */
	public static ResilientChatMemoryStore of(ChatMemoryStore store) {
		return (store instanceof ResilientChatMemoryStore resilient) ? resilient : new ResilientChatMemoryStore(store);
	}

	/**
	 * Return the wrapped store.
	 * @return the store
	 */
	public ChatMemoryStore getDelegate() {
		return this.delegate;
	}

	private <T> T once(String operation, Supplier<T> action) {
		try {
			return action.get();
		}
		catch (RuntimeException ex) {
			throw StoreFailures.translate(operation, ex);
		}
	}

	private void once(String operation, Runnable action) {
		once(operation, () -> {
			action.run();
			return null;
		});
	}

	private <T> T retried(String operation, Supplier<T> action) {
		try {
			return this.retry.execute(action::get);
		}
		catch (RetryException ex) {
			Throwable last = ex.getLastException();
			if (last instanceof RuntimeException runtime) {
				throw StoreFailures.translate(operation, runtime);
			}
			if (last instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(last);
		}
	}

	@Override
	public String type() {
		return this.delegate.type();
	}

	@Override
	public void ping() {
		once("ping", this.delegate::ping);
	}

	@Override
	public ChatSession createSession(String id, String userId, String title, Map<String, Object> metadata) {
		return once("create session", () -> this.delegate.createSession(id, userId, title, metadata));
	}

	@Override
	public Optional<ChatSession> findSession(String id) {
		return retried("find session", () -> this.delegate.findSession(id));
	}

	@Override
	public ChatSession updateSession(String id, SessionUpdate update, @Nullable String owner) {
		if (update.expectedVersion() != null) {
			// the update moves the version: a retry after one that landed would report a conflict
			return once("update session", () -> this.delegate.updateSession(id, update, owner));
		}
		// setting a title or flag twice leaves the same state
		return retried("update session", () -> this.delegate.updateSession(id, update, owner));
	}

	@Override
	public boolean deleteSession(String id, @Nullable String owner) {
		return once("delete session", () -> this.delegate.deleteSession(id, owner));
	}

	@Override
	public VersionedMessages append(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			@Nullable String owner, @Nullable Long expectedVersion) {
		// every message carries an id by now, so a repeated append stores nothing twice, and
		// a repeated version-checked append that landed finds its messages stored
		return retried("append",
				() -> this.delegate.append(sessionId, messages, createIfMissing, owner, expectedVersion));
	}

	@Override
	public List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages) {
		return once("replace messages", () -> this.delegate.replaceMessages(sessionId, messages));
	}

	@Override
	public VersionedMessages readVersionedMessages(String sessionId, MessageQuery query) {
		return retried("read messages", () -> this.delegate.readVersionedMessages(sessionId, query));
	}

	@Override
	public Optional<StoredMessage> findMessage(String sessionId, String messageId) {
		return retried("find message", () -> this.delegate.findMessage(sessionId, messageId));
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia) {
		return retried("read recent messages", () -> this.delegate.readRecent(sessionId, limit, includeMedia));
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia, boolean withSummary) {
		return retried("read recent messages",
				() -> this.delegate.readRecent(sessionId, limit, includeMedia, withSummary));
	}

	@Override
	public void clearMessages(String sessionId, @Nullable String owner) {
		once("clear messages", () -> this.delegate.clearMessages(sessionId, owner));
	}

	@Override
	public PagedResult<ChatSession> findSessionsByUser(String userId, int page, int size) {
		return retried("find sessions by user", () -> this.delegate.findSessionsByUser(userId, page, size));
	}

	@Override
	public List<String> findSessionIds(int limit) {
		return retried("find session ids", () -> this.delegate.findSessionIds(limit));
	}

	@Override
	public ChatSession importSession(ChatSession session, List<StoredMessage> messages, List<StoredSummary> summaries,
			boolean replaceExisting, @Nullable String owner, @Nullable Long expectedVersion) {
		return once("import session",
				() -> this.delegate.importSession(session, messages, summaries, replaceExisting, owner,
						expectedVersion));
	}

	@Override
	public boolean addBranch(String sessionId, String branchId, Instant createdAt) {
		// adding the same member twice leaves the same entry
		return retried("add branch", () -> this.delegate.addBranch(sessionId, branchId, createdAt));
	}

	@Override
	public void removeBranch(String sessionId, String branchId) {
		retried("remove branch", () -> {
			this.delegate.removeBranch(sessionId, branchId);
			return null;
		});
	}

	@Override
	public PagedResult<ChatSession> findBranches(String sessionId, int page, int size) {
		return retried("find branches", () -> this.delegate.findBranches(sessionId, page, size));
	}

	@Override
	public Optional<StoredSummary> findLatestSummary(String sessionId) {
		return retried("find latest summary", () -> this.delegate.findLatestSummary(sessionId));
	}

	@Override
	public PagedResult<StoredSummary> findSummaries(String sessionId, int page, int size) {
		return retried("find summaries", () -> this.delegate.findSummaries(sessionId, page, size));
	}

	@Override
	public SummaryWrite saveSummary(StoredSummary summary, Instant sessionCreatedAt, long sessionVersion) {
		// not retried: a retry after a write that landed would report it refused
		return once("save summary", () -> this.delegate.saveSummary(summary, sessionCreatedAt, sessionVersion));
	}

	@Override
	public List<String> findSessionIdsInactiveSince(Instant cutoff, int limit) {
		return retried("find inactive sessions", () -> this.delegate.findSessionIdsInactiveSince(cutoff, limit));
	}

	@Override
	public boolean deleteSessionIfInactiveSince(String id, Instant cutoff) {
		return once("delete inactive session", () -> this.delegate.deleteSessionIfInactiveSince(id, cutoff));
	}

	@Override
	public long repairIndexes() {
		return once("repair indexes", this.delegate::repairIndexes);
	}

	@Override
	public ChatMemoryStatistics statistics() {
		return retried("statistics", this.delegate::statistics);
	}

	@Override
	public void recordRetentionRun(RetentionRun run) {
		once("record retention run", () -> this.delegate.recordRetentionRun(run));
	}

	@Override
	public void enableRecallTasks() {
		this.delegate.enableRecallTasks();
	}

	@Override
	public boolean isRecallTasksEnabled() {
		return this.delegate.isRecallTasksEnabled();
	}

	@Override
	public List<RecallTask> findRecallTasks(int limit) {
		return retried("find recall tasks", () -> this.delegate.findRecallTasks(limit));
	}

	@Override
	public boolean completeRecallTask(RecallTask task, long indexedThroughSequence, boolean finished) {
		// compares the stamp and removes in one step: a retry after a removal that landed
		// finds no task and changes nothing
		return retried("complete recall task", () -> this.delegate.completeRecallTask(task, indexedThroughSequence, finished));
	}

	@Override
	public long countRecallTasks() {
		return retried("count recall tasks", this.delegate::countRecallTasks);
	}

	@Override
	public long repairRecallTasks() {
		return once("repair recall tasks", this.delegate::repairRecallTasks);
	}

	@Override
	public void queueRecallRebuild(String sessionId) {
		retried("queue recall rebuild", () -> {
			this.delegate.queueRecallRebuild(sessionId);
			return null;
		});
	}

	@Override
	public long queueRecallRebuildOfAllSessions() {
		return once("queue recall rebuild of all sessions", this.delegate::queueRecallRebuildOfAllSessions);
	}

}
