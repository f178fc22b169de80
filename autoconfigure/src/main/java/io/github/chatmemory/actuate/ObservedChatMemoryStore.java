package io.github.chatmemory.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.RetentionRun;
import io.github.chatmemory.SessionException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.VersionedMessages;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.RecallTask;
import io.github.chatmemory.store.StoreFailures;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChatMemoryStore} that observes every operation of another one with
 * Micrometer's Observation API, so each gives a timer ({@value #OBSERVATION_NAME}, tagged
 * with operation, store and outcome) and, with tracing, a span; appended messages are
 * counted by role.
 */
public class ObservedChatMemoryStore implements ChatMemoryStore {

	/** The name of the observation, and so of the timer. */
	public static final String OBSERVATION_NAME = "chat.memory.operation";

	private final ChatMemoryStore delegate;

	private final ObservationRegistry observationRegistry;

	private final @Nullable ChatMemoryMetrics metrics;

	/**
	 * Observe a store.
	 * @param delegate the store
	 * @param observationRegistry the observation registry
	 * @param metrics where appended messages are counted, or {@code null} without a meter
	 * registry
	 */
	public ObservedChatMemoryStore(ChatMemoryStore delegate, ObservationRegistry observationRegistry,
			@Nullable ChatMemoryMetrics metrics) {
		this.delegate = delegate;
		this.observationRegistry = observationRegistry;
		this.metrics = metrics;
	}

	/**
	 * Return the observed store.
	 * @return the store
	 */
	public ChatMemoryStore getDelegate() {
		return this.delegate;
	}

	private <T> T observe(String operation, Supplier<T> action) {
		Observation observation = Observation
			.createNotStarted(OBSERVATION_NAME, this.observationRegistry)
			.contextualName("chat-memory " + operation)
			.lowCardinalityKeyValue("operation", operation)
			.lowCardinalityKeyValue("store", this.delegate.type())
			.start();
		String outcome = "success";
		try (Observation.Scope scope = observation.openScope()) {
			return action.get();
		}
		catch (RuntimeException ex) {
			outcome = outcome(ex);
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.lowCardinalityKeyValue("outcome", outcome);
			observation.stop();
		}
	}

	private void observe(String operation, Runnable action) {
		observe(operation, () -> {
			action.run();
			return null;
		});
	}

	private static String outcome(RuntimeException ex) {
		if (StoreFailures.isUnavailable(ex)) {
			return "unavailable";
		}
		if (ex instanceof SessionException || ex instanceof ChatMemoryValidationException) {
			return "rejected";
		}
		return "error";
	}

	@Override
	public String type() {
		return this.delegate.type();
	}

	@Override
	public void ping() {
		observe("ping", this.delegate::ping);
	}

	@Override
	public ChatSession createSession(String id, String userId, String title, Map<String, Object> metadata) {
		return observe("create_session", () -> this.delegate.createSession(id, userId, title, metadata));
	}

	@Override
	public Optional<ChatSession> findSession(String id) {
		return observe("find_session", () -> this.delegate.findSession(id));
	}

	@Override
	public ChatSession updateSession(String id, SessionUpdate update, @Nullable String owner) {
		return observe("update_session", () -> this.delegate.updateSession(id, update, owner));
	}

	@Override
	public boolean deleteSession(String id, @Nullable String owner) {
		return observe("delete_session", () -> this.delegate.deleteSession(id, owner));
	}

	@Override
	public VersionedMessages append(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			@Nullable String owner, @Nullable Long expectedVersion) {
		VersionedMessages stored = observe("append",
				() -> this.delegate.append(sessionId, messages, createIfMissing, owner, expectedVersion));
		countAppended(messages);
		return stored;
	}

	private void countAppended(List<NewMessage> messages) {
		if (this.metrics != null) {
			this.metrics.messagesAppended(type(), messages);
		}
	}

	@Override
	public List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages) {
		List<StoredMessage> stored = observe("replace_messages",
				() -> this.delegate.replaceMessages(sessionId, messages));
		countAppended(messages);
		return stored;
	}

	@Override
	public VersionedMessages readVersionedMessages(String sessionId, MessageQuery query) {
		return observe("read_messages", () -> this.delegate.readVersionedMessages(sessionId, query));
	}

	@Override
	public Optional<StoredMessage> findMessage(String sessionId, String messageId) {
		return observe("find_message", () -> this.delegate.findMessage(sessionId, messageId));
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia) {
		return observe("read_recent", () -> this.delegate.readRecent(sessionId, limit, includeMedia));
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia, boolean withSummary) {
		return observe("read_recent",
				() -> this.delegate.readRecent(sessionId, limit, includeMedia, withSummary));
	}

	@Override
	public void clearMessages(String sessionId, @Nullable String owner) {
		observe("clear_messages", () -> this.delegate.clearMessages(sessionId, owner));
	}

	@Override
	public PagedResult<ChatSession> findSessionsByUser(String userId, int page, int size) {
		return observe("find_sessions_by_user", () -> this.delegate.findSessionsByUser(userId, page, size));
	}

	@Override
	public List<String> findSessionIds(int limit) {
		return observe("find_session_ids", () -> this.delegate.findSessionIds(limit));
	}

	@Override
	public ChatSession importSession(ChatSession session, List<StoredMessage> messages, List<StoredSummary> summaries,
			boolean replaceExisting, @Nullable String owner, @Nullable Long expectedVersion) {
		return observe("import_session",
				() -> this.delegate.importSession(session, messages, summaries, replaceExisting, owner,
						expectedVersion));
	}

	@Override
	public boolean addBranch(String sessionId, String branchId, Instant createdAt) {
		return observe("add_branch", () -> this.delegate.addBranch(sessionId, branchId, createdAt));
	}

	@Override
	public void removeBranch(String sessionId, String branchId) {
		observe("remove_branch", () -> this.delegate.removeBranch(sessionId, branchId));
	}

	@Override
	public PagedResult<ChatSession> findBranches(String sessionId, int page, int size) {
		return observe("find_branches", () -> this.delegate.findBranches(sessionId, page, size));
	}

	@Override
	public Optional<StoredSummary> findLatestSummary(String sessionId) {
		return observe("find_latest_summary", () -> this.delegate.findLatestSummary(sessionId));
	}

	@Override
	public PagedResult<StoredSummary> findSummaries(String sessionId, int page, int size) {
		return observe("find_summaries", () -> this.delegate.findSummaries(sessionId, page, size));
	}

	@Override
	public SummaryWrite saveSummary(StoredSummary summary, Instant sessionCreatedAt, long sessionVersion) {
		return observe("save_summary", () -> this.delegate.saveSummary(summary, sessionCreatedAt, sessionVersion));
	}

	@Override
	public List<String> findSessionIdsInactiveSince(Instant cutoff, int limit) {
		return observe("find_inactive_sessions", () -> this.delegate.findSessionIdsInactiveSince(cutoff, limit));
	}

	@Override
	public boolean deleteSessionIfInactiveSince(String id, Instant cutoff) {
		return observe("delete_inactive_session", () -> this.delegate.deleteSessionIfInactiveSince(id, cutoff));
	}

	@Override
	public long repairIndexes() {
		return observe("repair_indexes", this.delegate::repairIndexes);
	}

	@Override
	public ChatMemoryStatistics statistics() {
		return observe("statistics", this.delegate::statistics);
	}

	@Override
	public void recordRetentionRun(RetentionRun run) {
		observe("record_retention_run", () -> this.delegate.recordRetentionRun(run));
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
		return observe("find_recall_tasks", () -> this.delegate.findRecallTasks(limit));
	}

	@Override
	public boolean completeRecallTask(RecallTask task, long indexedThroughSequence, boolean finished) {
		return observe("complete_recall_task", () -> this.delegate.completeRecallTask(task, indexedThroughSequence, finished));
	}

	@Override
	public long countRecallTasks() {
		return observe("count_recall_tasks", this.delegate::countRecallTasks);
	}

	@Override
	public long repairRecallTasks() {
		return observe("repair_recall_tasks", this.delegate::repairRecallTasks);
	}

	@Override
	public void queueRecallRebuild(String sessionId) {
		observe("queue_recall_rebuild", () -> this.delegate.queueRecallRebuild(sessionId));
	}

	@Override
	public long queueRecallRebuildOfAllSessions() {
		return observe("queue_recall_rebuild_all", this.delegate::queueRecallRebuildOfAllSessions);
	}

}
