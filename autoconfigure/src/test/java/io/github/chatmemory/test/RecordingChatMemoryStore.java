package io.github.chatmemory.test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.RetentionRun;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.VersionedMessages;
import io.github.chatmemory.store.ChatMemoryStore;
import org.jspecify.annotations.Nullable;

/**
 * A store that passes every call to another and records how many messages were read and
 * how many appends came, so tests can assert on what was asked of the store rather than
 * on time.
 */
public final class RecordingChatMemoryStore implements ChatMemoryStore {

	private final ChatMemoryStore delegate;

	private final AtomicLong messagesRead = new AtomicLong();

	private final AtomicLong reads = new AtomicLong();

	private final AtomicLong readsWithMedia = new AtomicLong();

	private final AtomicLong appends = new AtomicLong();

	public RecordingChatMemoryStore(ChatMemoryStore delegate) {
		this.delegate = delegate;
	}

	public long messagesRead() {
		return this.messagesRead.get();
	}

	public long reads() {
		return this.reads.get();
	}

	/** How many reads asked for the messages' media. */
	public long readsWithMedia() {
		return this.readsWithMedia.get();
	}

	/** How many appends reached the store, retries included. */
	public long appends() {
		return this.appends.get();
	}

	public void reset() {
		this.messagesRead.set(0);
		this.reads.set(0);
		this.readsWithMedia.set(0);
		this.appends.set(0);
	}

	@Override
	public String type() {
		return this.delegate.type();
	}

	@Override
	public void ping() {
		this.delegate.ping();
	}

	@Override
	public ChatSession createSession(String id, String userId, String title, Map<String, Object> metadata) {
		return this.delegate.createSession(id, userId, title, metadata);
	}

	@Override
	public Optional<ChatSession> findSession(String id) {
		return this.delegate.findSession(id);
	}

	@Override
	public ChatSession updateSession(String id, SessionUpdate update, @Nullable String owner) {
		return this.delegate.updateSession(id, update, owner);
	}

	@Override
	public boolean deleteSession(String id, @Nullable String owner) {
		return this.delegate.deleteSession(id, owner);
	}

	@Override
	public VersionedMessages append(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			@Nullable String owner, @Nullable Long expectedVersion) {
		this.appends.incrementAndGet();
		return this.delegate.append(sessionId, messages, createIfMissing, owner, expectedVersion);
	}

	@Override
	public List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages) {
		return this.delegate.replaceMessages(sessionId, messages);
	}

	@Override
	public VersionedMessages readVersionedMessages(String sessionId, MessageQuery query) {
		VersionedMessages messages = this.delegate.readVersionedMessages(sessionId, query);
		record(messages.messages().size(), query.includeMedia());
		return messages;
	}

	@Override
	public Optional<StoredMessage> findMessage(String sessionId, String messageId) {
		return this.delegate.findMessage(sessionId, messageId);
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia) {
		RecentMessages recent = this.delegate.readRecent(sessionId, limit, includeMedia);
		record(recent.messages().size() + ((recent.latestSystemMessage() != null) ? 1 : 0), includeMedia);
		return recent;
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia, boolean withSummary) {
		RecentMessages recent = this.delegate.readRecent(sessionId, limit, includeMedia, withSummary);
		record(recent.messages().size() + ((recent.latestSystemMessage() != null) ? 1 : 0), includeMedia);
		return recent;
	}

	private void record(int count, boolean withMedia) {
		this.reads.incrementAndGet();
		if (withMedia) {
			this.readsWithMedia.incrementAndGet();
		}
		this.messagesRead.addAndGet(count);
	}

	@Override
	public void clearMessages(String sessionId, @Nullable String owner) {
		this.delegate.clearMessages(sessionId, owner);
	}

	@Override
	public PagedResult<ChatSession> findSessionsByUser(String userId, int page, int size) {
		return this.delegate.findSessionsByUser(userId, page, size);
	}

	@Override
	public List<String> findSessionIds(int limit) {
		return this.delegate.findSessionIds(limit);
	}

	@Override
	public ChatSession importSession(ChatSession session, List<StoredMessage> messages, List<StoredSummary> summaries,
			boolean replaceExisting, @Nullable String owner, @Nullable Long expectedVersion) {
		return this.delegate.importSession(session, messages, summaries, replaceExisting, owner,
						expectedVersion);
	}

	@Override
	public boolean addBranch(String sessionId, String branchId, Instant createdAt) {
		return this.delegate.addBranch(sessionId, branchId, createdAt);
	}

	@Override
	public void removeBranch(String sessionId, String branchId) {
		this.delegate.removeBranch(sessionId, branchId);
	}

	@Override
	public PagedResult<ChatSession> findBranches(String sessionId, int page, int size) {
		return this.delegate.findBranches(sessionId, page, size);
	}

	@Override
	public java.util.Optional<StoredSummary> findLatestSummary(String sessionId) {
		return this.delegate.findLatestSummary(sessionId);
	}

	@Override
	public PagedResult<StoredSummary> findSummaries(String sessionId, int page, int size) {
		return this.delegate.findSummaries(sessionId, page, size);
	}

	@Override
	public SummaryWrite saveSummary(StoredSummary summary, Instant sessionCreatedAt, long sessionVersion) {
		return this.delegate.saveSummary(summary, sessionCreatedAt, sessionVersion);
	}

	@Override
	public List<String> findSessionIdsInactiveSince(Instant cutoff, int limit) {
		return this.delegate.findSessionIdsInactiveSince(cutoff, limit);
	}

	@Override
	public boolean deleteSessionIfInactiveSince(String id, Instant cutoff) {
		return this.delegate.deleteSessionIfInactiveSince(id, cutoff);
	}

	@Override
	public ChatMemoryStatistics statistics() {
		return this.delegate.statistics();
	}

	@Override
	public void recordRetentionRun(RetentionRun run) {
		this.delegate.recordRetentionRun(run);
	}

	@Override
	public long repairIndexes() {
		return this.delegate.repairIndexes();
	}

}
