package io.github.chatmemory.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.IdempotencyConflictException;
import io.github.chatmemory.MessageQuery;
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
import io.github.chatmemory.store.StoreFailures;
import io.github.chatmemory.store.redis.RedisSessionScripts.AppendReply;
import io.github.chatmemory.store.redis.RedisSessionScripts.ClearReply;
import io.github.chatmemory.store.redis.RedisSessionScripts.DeleteReply;
import io.github.chatmemory.store.redis.RedisSessionScripts.ImportReply;
import io.github.chatmemory.store.redis.RedisSessionScripts.ImportStatus;
import io.github.chatmemory.store.redis.RedisSessionScripts.ReadReply;
import io.github.chatmemory.support.MetadataJson;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.ClassUtils;

/**
 * A {@link ChatMemoryStore} on Redis through Spring Data Redis: every write to a session
 * is one Lua script round trip over keys that share one hash slot, so it is atomic
 * (ownership checks included), Cluster-safe and never reads the history. See
 * {@link RedisKeys} for the layout, {@link RedisSessionScripts} for the scripts and their
 * replies, {@link RedisSessionIndexes} for the indexes, which live in other slots and are
 * derived data that cannot drift, and {@link RedisRecallQueue} for the recall queue, whose
 * tasks the write scripts queue once recall is enabled; statistics are computed from the
 * sessions themselves. Failures are left as Spring's {@code DataAccessException}s and
 * classified once, for every store, by
 * {@link io.github.chatmemory.store.ResilientChatMemoryStore}.
 */
public class RedisChatMemoryStore implements ChatMemoryStore {

	private static final Log logger = LogFactory.getLog(RedisChatMemoryStore.class);

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			RedisChatMemoryStore.class.getClassLoader());

	/**
	 * How stale an activity index score may get: a session written to again within this
	 * time keeps its index score, which saves index writes while a conversation is busy.
	 */
	private static final long INDEX_RESOLUTION_MILLIS = 1000;

	/** The most sessions that statistics read the meta hash of. */
	private static final int MAX_STATISTICS_SESSIONS = 1_000_000;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final RedisSessionScripts scripts;

	private final RedisSessionIndexes indexes;

	private final RedisRecallQueue recallQueue;

	private final RedisStoreSettings settings;

	private final Clock clock;

	/**
	 * Create a store.
	 * @param connectionFactory the connection factory, usually Spring Boot's
	 * @param settings the key prefix, time-to-live and history limit
	 * @param clock the clock for timestamps
	 */
	public RedisChatMemoryStore(RedisConnectionFactory connectionFactory, RedisStoreSettings settings, Clock clock) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keys = new RedisKeys(settings.keyPrefix());
		this.settings = settings;
		this.clock = clock;
		LettuceConnectionFactory lettuce = (LETTUCE_PRESENT
				&& connectionFactory instanceof LettuceConnectionFactory factory) ? factory : null;
		Duration commandTimeout = (lettuce != null) ? lettuce.getClientConfiguration().getCommandTimeout()
				: Duration.ofSeconds(60);
		// index writes may go without waiting for replies only on Lettuce's shared
		// connection, which outlives the callback that sends them
		boolean asyncWrites = lettuce != null && lettuce.getShareNativeConnection();
		this.scripts = new RedisSessionScripts(this.redis, this.keys, settings, INDEX_RESOLUTION_MILLIS);
		this.indexes = new RedisSessionIndexes(this.redis, this.keys, settings.timeToLive(), clock,
				INDEX_RESOLUTION_MILLIS, commandTimeout, asyncWrites, this::rebuildGoneSessions);
		this.recallQueue = new RedisRecallQueue(this.redis, this.keys, this.scripts, clock, commandTimeout,
				asyncWrites);
	}

	@Override
	public String type() {
		return "redis";
	}

	@Override
	public void ping() {
		this.redis.execute(RedisConnection::ping);
	}

	@Override
	public ChatSession createSession(String id, String userId, String title, Map<String, Object> metadata) {
		long now = now();
		if (!this.scripts.createSession(id, userId, title, metadata, now)) {
			throw new SessionAlreadyExistsException(id);
		}
		indexAfterWrite(() -> this.indexes.touch(id, userId, now));
		Instant instant = Instant.ofEpochMilli(now);
		return new ChatSession(id, userId, title, metadata, true, instant, instant, 0, 1);
	}

	@Override
	public Optional<ChatSession> findSession(String id) {
		Map<Object, Object> hash = this.redis.opsForHash().entries(this.keys.meta(id));
		return hash.isEmpty() ? Optional.empty() : Optional.of(toSession(id, strings(hash)));
	}

	@Override
	public ChatSession updateSession(String id, SessionUpdate update, @Nullable String owner) {
		long now = now();
		Map<String, String> fields = this.scripts.updateSession(id, update, now, owner);
		if (fields == null) {
			throw new SessionNotFoundException(id);
		}
		ChatSession session = toSession(id, fields);
		indexAfterWrite(() -> this.indexes.touch(id, session.userId(), now));
		return session;
	}

	@Override
	public boolean deleteSession(String id, @Nullable String owner) {
		return delete(id, null, owner);
	}

	@Override
	public boolean deleteSessionIfInactiveSince(String id, Instant cutoff) {
		return delete(id, cutoff, null);
	}

	private boolean delete(String id, @Nullable Instant cutoff, @Nullable String owner) {
		DeleteReply reply = this.scripts.deleteSession(id, cutoff, owner);
		listRecallTask(id, reply.recallTaskQueued());
		switch (reply.outcome()) {
			case DELETED -> {
				indexAfterWrite(() -> this.indexes.remove(id, reply.userId()));
				return true;
			}
			case KEPT_FOR_ACTIVITY -> {
				// kept for newer activity: make sure the indexes know that activity
				indexAfterWrite(() -> this.indexes.touch(id, reply.userId(), reply.activity()));
				return false;
			}
			case NOT_OWNER -> {
				return false;
			}
			default -> {
				// gone already (expired or evicted): its entry in the index of all sessions goes too
				indexAfterWrite(() -> this.indexes.remove(id, null));
				return false;
			}
		}
	}

	@Override
	public VersionedMessages append(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			@Nullable String owner, @Nullable Long expectedVersion) {
		return write(sessionId, messages, createIfMissing, false, owner, expectedVersion);
	}

	@Override
	public List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages) {
		return write(sessionId, messages, true, true, null, null).messages();
	}

	private VersionedMessages write(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			boolean replace, @Nullable String owner, @Nullable Long expectedVersion) {
		long now = now();
		return this.redis.execute((RedisCallback<VersionedMessages>) (connection) -> {
			AppendReply reply = this.scripts.append(connection, sessionId, messages, now, createIfMissing, replace,
					owner, expectedVersion);
			switch (reply.status()) {
				case OK -> {
				}
				case INACTIVE -> throw new SessionInactiveException(sessionId);
				case VERSION -> throw new SessionVersionConflictException(sessionId, expectedVersion, reply.version());
				case CONFLICT -> throw new IdempotencyConflictException(sessionId,
						messages.get(reply.messageIndex()).id());
				case NO_RESPONSE_TO -> {
					int index = reply.messageIndex();
					throw new ChatMemoryValidationException("messages[" + index + "].responseTo",
							"must name a message of the session but was '" + messages.get(index).responseTo() + "'");
				}
				default -> throw new SessionNotFoundException(sessionId);
			}
			if (reply.indexDue()) {
				indexAfterWrite(() -> this.indexes.touch(connection, sessionId, reply.userId(), now));
			}
			if (reply.recallTaskQueued() != null) {
				long queued = reply.recallTaskQueued();
				indexAfterWrite(() -> this.recallQueue.list(connection, sessionId, queued));
			}
			return new VersionedMessages(reply.stored(), (reply.version() >= 0) ? reply.version() : null);
		});
	}

	@Override
	public VersionedMessages readVersionedMessages(String sessionId, MessageQuery query) {
		Long bound = query.forward() ? query.after() : query.before();
		ReadReply reply = read(sessionId, query.forward(), bound, query.limit(), false, query.includeMedia(),
				query.maxBytes(), false);
		if (!reply.exists()) {
			throw new SessionNotFoundException(sessionId);
		}
		return new VersionedMessages(reply.messages(), (reply.version() >= 0) ? reply.version() : null);
	}

	@Override
	public Optional<StoredMessage> findMessage(String sessionId, String messageId) {
		return Optional.ofNullable(this.scripts.findMessage(sessionId, messageId));
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia) {
		return readRecent(sessionId, limit, includeMedia, false);
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia, boolean withSummary) {
		ReadReply reply = read(sessionId, false, null, limit, true, includeMedia, 0, withSummary);
		return new RecentMessages(reply.exists(), reply.messageCount(), reply.system(), reply.messages(),
				reply.summary());
	}

	/**
	 * Read up to {@code limit} messages in replies of at most
	 * {@link RedisSessionScripts#READ_BUDGET_BYTES} each, going on from where the last
	 * reply ended, and stopping early once the replies carried {@code maxBytes} (if not
	 * 0).
	 */
	private ReadReply read(String sessionId, boolean forward, @Nullable Long bound, int limit, boolean withSystem,
			boolean includeMedia, long maxBytes, boolean withSummary) {
		List<List<StoredMessage>> pages = new ArrayList<>();
		ReadReply first = null;
		boolean oneVersion = true;
		int remaining = limit;
		long characters = 0;
		Long next = bound;
		while (true) {
			ReadReply reply = this.scripts.read(sessionId, forward, next, remaining, withSystem && first == null,
					includeMedia, withSummary && first == null);
			if (first == null) {
				first = reply;
			}
			if (!reply.exists() || reply.messages().isEmpty()) {
				break;
			}
			oneVersion = oneVersion && reply.version() == first.version();
			pages.add(reply.messages());
			remaining -= reply.messages().size();
			characters += reply.characters();
			if (!reply.more() || remaining <= 0 || (maxBytes > 0 && characters >= maxBytes)) {
				break;
			}
			List<StoredMessage> page = reply.messages();
			next = forward ? page.get(page.size() - 1).sequence() : page.get(0).sequence();
		}
		if (!first.exists() || pages.size() <= 1) {
			return first;
		}
		if (!forward) {
			// each further backward page is older than the one before
			Collections.reverse(pages);
		}
		List<StoredMessage> messages = new ArrayList<>(limit - remaining);
		pages.forEach(messages::addAll);
		// replies read across a write belong to no one version: -1 says so
		return new ReadReply(true, first.messageCount(), first.system(), messages, false, characters,
				oneVersion ? first.version() : -1, first.summary());
	}

	@Override
	public void clearMessages(String sessionId, @Nullable String owner) {
		long now = now();
		ClearReply reply = this.scripts.clearMessages(sessionId, now, owner);
		if (!reply.cleared()) {
			throw new SessionNotFoundException(sessionId);
		}
		listRecallTask(sessionId, reply.recallTaskQueued());
		indexAfterWrite(() -> this.indexes.touch(sessionId, reply.userId(), now));
	}

	@Override
	public PagedResult<ChatSession> findSessionsByUser(String userId, int page, int size) {
		return this.indexes.userSessions(userId, page, size, this::toSession);
	}

	@Override
	public List<String> findSessionIds(int limit) {
		return this.indexes.recentSessionIds(limit);
	}

	@Override
	public ChatSession importSession(ChatSession session, List<StoredMessage> imported, List<StoredSummary> summaries,
			boolean replaceExisting, @Nullable String owner, @Nullable Long expectedVersion) {
		int maxHistory = this.settings.maxHistory();
		List<StoredMessage> messages = (maxHistory > 0 && imported.size() > maxHistory)
				? imported.subList(imported.size() - maxHistory, imported.size()) : imported;
		// with a time-to-live the keys live from now on, so the index scores the import as
		// activity: an older score would have the entry trimmed while the session lives
		long score = (this.settings.timeToLive() != null) ? Math.max(now(), session.updatedAt().toEpochMilli())
				: session.updatedAt().toEpochMilli();
		// a millisecond below the score written after the script: a listing that found the
		// entry before the session existed removes it only if its score is unchanged, and the
		// write after the script always changes it
		boolean listed = this.indexes.listBeforeWrite(session.id(), session.userId(), score - 1);
		ImportReply reply;
		try {
			reply = this.scripts.importSession(session, messages, summaries, replaceExisting, owner, expectedVersion);
		}
		catch (RuntimeException ex) {
			if (StoreFailures.isUnavailable(ex)) {
				indexIfWritten(session.id(), ex);
			}
			throw ex;
		}
		listRecallTask(session.id(), reply.recallTaskQueued());
		String userId = session.userId();
		if (reply.status() != ImportStatus.OK && listed && userId != null) {
			indexAfterWrite(() -> this.indexes.unlist(session.id(), userId));
		}
		if (reply.status() == ImportStatus.NOT_OWNER) {
			throw new SessionNotFoundException(session.id());
		}
		if (reply.status() == ImportStatus.VERSION) {
			throw new SessionVersionConflictException(session.id(), expectedVersion, reply.version());
		}
		if (reply.status() != ImportStatus.OK) {
			throw new SessionAlreadyExistsException(session.id());
		}
		indexAfterWrite(
				() -> this.indexes.put(session.id(), session.userId(), score, reply.previousUserId()));
		return new ChatSession(session.id(), session.userId(), session.title(), session.metadata(), session.active(),
				session.createdAt(), session.updatedAt(), messages.size(), reply.version());
	}

	@Override
	public boolean addBranch(String sessionId, String branchId, Instant createdAt) {
		return this.scripts.addBranch(sessionId, branchId, createdAt.toEpochMilli());
	}

	@Override
	public void removeBranch(String sessionId, String branchId) {
		this.redis.opsForZSet().remove(this.keys.branches(sessionId), branchId);
	}

	@Override
	public PagedResult<ChatSession> findBranches(String sessionId, int page, int size) {
		if (!Boolean.TRUE.equals(this.redis.hasKey(this.keys.meta(sessionId)))) {
			throw new SessionNotFoundException(sessionId);
		}
		return this.indexes.branches(this.keys.branches(sessionId), page, size, this::toSession);
	}

	@Override
	public Optional<StoredSummary> findLatestSummary(String sessionId) {
		RedisSessionScripts.PagedSummaries page = this.scripts.readSummaries(sessionId, 0, 0);
		return (page != null && !page.summaries().isEmpty()) ? Optional.of(page.summaries().get(0))
				: Optional.empty();
	}

	@Override
	public PagedResult<StoredSummary> findSummaries(String sessionId, int page, int size) {
		long first = (long) page * size;
		RedisSessionScripts.PagedSummaries summaries = this.scripts.readSummaries(sessionId, first,
				first + size - 1);
		if (summaries == null) {
			throw new SessionNotFoundException(sessionId);
		}
		return new PagedResult<>(summaries.summaries(), page, size, summaries.total());
	}

	@Override
	public SummaryWrite saveSummary(StoredSummary summary, Instant sessionCreatedAt, long sessionVersion) {
		return switch (this.scripts.saveSummary(summary, sessionCreatedAt, sessionVersion)) {
			case "STORED" -> SummaryWrite.STORED;
			case "PREVIOUS" -> SummaryWrite.PREVIOUS_CHANGED;
			case "MESSAGES" -> SummaryWrite.MESSAGES_CHANGED;
			default -> SummaryWrite.SESSION_NOT_FOUND;
		};
	}

	@Override
	public List<String> findSessionIdsInactiveSince(Instant cutoff, int limit) {
		return this.indexes.inactiveSince(cutoff.toEpochMilli(), limit);
	}

	@Override
	public long repairIndexes() {
		long seen = this.indexes.repair();
		if (this.scripts.recallTasksEnabled()) {
			this.recallQueue.repair(false);
		}
		return seen;
	}

	/**
	 * Have every write queue its recall task from now on. The tasks that a crash of an
	 * earlier instance left unlisted, between a script and its queue entry, are listed by
	 * {@link #repairRecallTasks()}, which the indexer runs on its first pass: a SCAN of the
	 * keyspace stays off the startup path, and Redis being down at startup delays it only.
	 */
	@Override
	public void enableRecallTasks() {
		this.scripts.enableRecallTasks();
	}

	@Override
	public long repairRecallTasks() {
		return this.scripts.recallTasksEnabled() ? this.recallQueue.repair(true) : 0;
	}

	@Override
	public boolean isRecallTasksEnabled() {
		return this.scripts.recallTasksEnabled();
	}

	@Override
	public List<RecallTask> findRecallTasks(int limit) {
		return this.recallQueue.find(limit);
	}

	@Override
	public boolean completeRecallTask(RecallTask task, long indexedThroughSequence, boolean finished) {
		return this.recallQueue.complete(task, indexedThroughSequence, finished);
	}

	@Override
	public long countRecallTasks() {
		return this.recallQueue.count();
	}

	@Override
	public void queueRecallRebuild(String sessionId) {
		this.recallQueue.queueRebuild(sessionId);
	}

	@Override
	public long queueRecallRebuildOfAllSessions() {
		return this.recallQueue.queueRebuildOfAllSessions();
	}

	@Override
	public ChatMemoryStatistics statistics() {
		RedisSessionIndexes.Totals totals = this.indexes.totals(MAX_STATISTICS_SESSIONS);
		List<Object> retention = this.redis.opsForHash()
			.multiGet(this.keys.retention(), List.of("ranAt", "cutoff", "deleted"));
		RetentionRun lastRetention = (retention.get(0) != null) ? new RetentionRun(instant(retention.get(0)),
				instant(retention.get(1)), Long.parseLong((String) retention.get(2))) : null;
		return new ChatMemoryStatistics(type(), totals.sessions(), totals.activeSessions(), totals.messages(),
				totals.users(), lastRetention);
	}

	@Override
	public void recordRetentionRun(RetentionRun run) {
		this.redis.opsForHash()
			.putAll(this.keys.retention(), Map.of("ranAt", Long.toString(run.ranAt().toEpochMilli()), "cutoff",
					Long.toString(run.cutoff().toEpochMilli()), "deleted", Long.toString(run.deletedSessions())));
	}

	/**
	 * Index a session after its import script failed in a way that leaves the outcome
	 * unknown (a timeout or a lost connection while Redis may have run it): the session
	 * was listed before the script, but a listing meanwhile may have dropped that entry.
	 * The failure is still thrown, because whether the session here is the one this call
	 * wrote cannot be told (it may be an older one under the same id); a failure of this
	 * check is added to it.
	 */
	private void indexIfWritten(String sessionId, RuntimeException failure) {
		try {
			this.indexes.indexIfAlive(sessionId);
		}
		catch (RuntimeException ex) {
			failure.addSuppressed(ex);
		}
	}

	/**
	 * Queue rebuilds for sessions that the indexes found gone without a delete script (they
	 * expired, or were evicted), so that their vectors go too.
	 */
	private void rebuildGoneSessions(List<String> sessionIds) {
		if (this.scripts.recallTasksEnabled()) {
			sessionIds.forEach((id) -> indexAfterWrite(() -> this.recallQueue.queueRebuild(id)));
		}
	}

	/** List a recall task that a session's script queued or extended, if it queued one. */
	private void listRecallTask(String sessionId, @Nullable Long queued) {
		if (queued != null) {
			indexAfterWrite(() -> this.recallQueue.list(sessionId, queued));
		}
	}

	/**
	 * Update the indexes after a session's script has written: the write has happened, so
	 * a failure here must not report it as failed (the caller would retry a write that
	 * landed); the session's next write or the index repair brings the entry back.
	 */
	private static void indexAfterWrite(Runnable update) {
		try {
			update.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not update a chat memory index after a write; the session's next write or the "
					+ "index repair updates it", ex);
		}
	}

	private ChatSession toSession(String id, Map<String, String> hash) {
		return new ChatSession(id, nullIfEmpty(hash.get("userId")), hash.getOrDefault("title", ""),
				MetadataJson.read(hash.getOrDefault("metadata", "{}")), !"0".equals(hash.get("active")),
				instant(hash.get("createdAt")), instant(hash.get("updatedAt")),
				Long.parseLong(hash.getOrDefault("count", "0")), Long.parseLong(hash.getOrDefault("ver", "0")));
	}

	private static Map<String, String> strings(Map<Object, Object> hash) {
		Map<String, String> result = new HashMap<>();
		hash.forEach((key, value) -> result.put((String) key, (String) value));
		return result;
	}

	private static Instant instant(@Nullable Object epochMillis) {
		return Instant.ofEpochMilli((epochMillis != null) ? Long.parseLong((String) epochMillis) : 0);
	}

	private long now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
	}

	private static @Nullable String nullIfEmpty(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

}
