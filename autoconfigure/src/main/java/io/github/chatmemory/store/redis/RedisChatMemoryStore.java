package io.github.chatmemory.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.MetadataJson;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.RetentionRun;
import io.github.chatmemory.SessionAlreadyExistsException;
import io.github.chatmemory.SessionInactiveException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.ChatMemoryStore;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * A {@link ChatMemoryStore} on Redis through Spring Data Redis: every write to a session
 * is one Lua script round trip over keys that share one hash slot, so it is atomic,
 * Cluster-safe and never reads the history. See {@link RedisKeys} for the layout.
 * <p>
 * Indexes and counters (a user's sessions, all sessions, deactivated sessions, users,
 * the message counter) live in other slots and are updated by separate commands after
 * the session's script: they are derived data that can lag a write by a moment, and an
 * index entry whose session expired is dropped when a listing or a cleanup meets it.
 */
public class RedisChatMemoryStore implements ChatMemoryStore {

	private static final Log logger = LogFactory.getLog(RedisChatMemoryStore.class);

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			RedisChatMemoryStore.class.getClassLoader());

	private static final String MESSAGES_COUNTER = "messages";

	/**
	 * How stale an activity index score may get: a session written to again within this
	 * time keeps its index score, which saves index writes while a conversation is busy.
	 */
	private static final long INDEX_RESOLUTION_MILLIS = 1000;

	private static final RedisScript<List> APPEND = script("append.lua", List.class);

	private static final RedisScript<List> READ = script("read.lua", List.class);

	private static final RedisScript<Long> CREATE_SESSION = script("create-session.lua", Long.class);

	private static final RedisScript<List> UPDATE_SESSION = script("update-session.lua", List.class);

	private static final RedisScript<List> CLEAR_MESSAGES = script("clear-messages.lua", List.class);

	private static final RedisScript<List> DELETE_SESSION = script("delete-session.lua", List.class);

	private static final RedisScript<List> IMPORT_SESSION = script("import-session.lua", List.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final RedisStoreSettings settings;

	private final Clock clock;

	/**
	 * Whether index updates may be sent without waiting for replies: only on Lettuce's
	 * shared connection, which outlives the callback that sends them.
	 */
	private final boolean sendIndexUpdatesAsync;

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
		this.sendIndexUpdatesAsync = LETTUCE_PRESENT && connectionFactory instanceof LettuceConnectionFactory lettuce
				&& lettuce.getShareNativeConnection();
	}

	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		return RedisScript.of(new ClassPathResource(name, RedisChatMemoryStore.class), resultType);
	}

	@Override
	public String type() {
		return "redis";
	}

	@Override
	public void ping() {
		execute("ping", () -> this.redis.execute(RedisConnection::ping));
	}

	@Override
	public ChatSession createSession(String id, String userId, String title, Map<String, Object> metadata) {
		return execute("create session", () -> {
			long now = now();
			Long created = this.redis.execute(CREATE_SESSION, List.of(this.keys.meta(id)), userId, title,
					MetadataJson.write(metadata), Long.toString(now), ttlMillis());
			if (created == null || created == 0) {
				throw new SessionAlreadyExistsException(id);
			}
			this.redis.opsForZSet().add(this.keys.userSessions(userId), id, now);
			this.redis.opsForZSet().add(this.keys.allSessions(), id, now);
			this.redis.opsForZSet().add(this.keys.users(), userId, now);
			Instant instant = Instant.ofEpochMilli(now);
			return new ChatSession(id, userId, title, metadata, true, instant, instant, 0);
		});
	}

	@Override
	public Optional<ChatSession> findSession(String id) {
		return execute("find session", () -> {
			Map<Object, Object> hash = this.redis.opsForHash().entries(this.keys.meta(id));
			return hash.isEmpty() ? Optional.empty() : Optional.of(toSession(id, hash));
		});
	}

	@Override
	public ChatSession updateSession(String id, SessionUpdate update) {
		return execute("update session", () -> {
			long now = now();
			String active = (update.active() != null) ? (update.active() ? "1" : "0") : "";
			List<?> hash = this.redis.execute(UPDATE_SESSION, this.keys.session(id), (update.title() != null) ? "1" : "0",
					(update.title() != null) ? update.title() : "", active, Long.toString(now), ttlMillis());
			if (hash == null || hash.isEmpty()) {
				throw new SessionNotFoundException(id);
			}
			Map<Object, Object> fields = new HashMap<>();
			for (int i = 0; i + 1 < hash.size(); i += 2) {
				fields.put(hash.get(i), hash.get(i + 1));
			}
			ChatSession session = toSession(id, fields);
			markActive(id, session.active());
			touchIndexes(id, session.userId(), now, 0);
			return session;
		});
	}

	private void markActive(String id, boolean active) {
		if (active) {
			this.redis.opsForSet().remove(this.keys.inactiveSessions(), id);
		}
		else {
			this.redis.opsForSet().add(this.keys.inactiveSessions(), id);
		}
	}

	@Override
	public boolean deleteSession(String id) {
		return execute("delete session", () -> delete(id, ""));
	}

	@Override
	public boolean deleteSessionIfInactiveSince(String id, Instant cutoff) {
		return execute("delete inactive session", () -> delete(id, Long.toString(cutoff.toEpochMilli())));
	}

	private boolean delete(String id, String cutoff) {
		List<?> reply = this.redis.execute(DELETE_SESSION, this.keys.session(id), cutoff);
		String outcome = (reply != null) ? (String) reply.get(0) : "0";
		if ("2".equals(outcome)) {
			// kept for newer activity: make sure the indexes know that activity
			String userId = (String) reply.get(1);
			touchIndexes(id, userId.isEmpty() ? null : userId, Long.parseLong((String) reply.get(2)), 0);
			return false;
		}
		// repair the indexes even for a session that has already expired
		this.redis.opsForZSet().remove(this.keys.allSessions(), id);
		this.redis.opsForSet().remove(this.keys.inactiveSessions(), id);
		if (!"1".equals(outcome)) {
			return false;
		}
		String userId = (String) reply.get(1);
		if (!userId.isEmpty()) {
			removeFromUserIndex(userId, id);
		}
		this.redis.opsForHash().increment(this.keys.statistics(), MESSAGES_COUNTER, -Long.parseLong((String) reply.get(2)));
		return true;
	}

	private void removeFromUserIndex(String userId, String sessionId) {
		String index = this.keys.userSessions(userId);
		this.redis.opsForZSet().remove(index, sessionId);
		Long remaining = this.redis.opsForZSet().zCard(index);
		if (remaining == null || remaining == 0) {
			this.redis.opsForZSet().remove(this.keys.users(), userId);
		}
	}

	@Override
	public List<StoredMessage> append(String sessionId, List<NewMessage> messages, boolean createIfMissing) {
		return execute("append", () -> write(sessionId, messages, createIfMissing, false));
	}

	@Override
	public List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages) {
		return execute("replace messages", () -> write(sessionId, messages, true, true));
	}

	private List<StoredMessage> write(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			boolean replace) {
		long now = now();
		Instant createdAt = Instant.ofEpochMilli(now);
		List<String> keys = this.keys.session(sessionId);
		byte[][] keysAndArgs = new byte[keys.size() + 6 + messages.size() * 3][];
		int i = 0;
		for (String key : keys) {
			keysAndArgs[i++] = bytes(key);
		}
		keysAndArgs[i++] = bytes(Long.toString(now));
		keysAndArgs[i++] = bytes(ttlMillis());
		keysAndArgs[i++] = bytes(Integer.toString(this.settings.maxHistory()));
		keysAndArgs[i++] = bytes(createIfMissing ? "1" : "0");
		keysAndArgs[i++] = bytes(replace ? "1" : "0");
		keysAndArgs[i++] = bytes(Long.toString(INDEX_RESOLUTION_MILLIS));
		for (NewMessage message : messages) {
			Assert.notNull(message.id(), "Messages must have an id before they reach the store");
			keysAndArgs[i++] = bytes(message.id());
			keysAndArgs[i++] = bytes(message.role().name());
			keysAndArgs[i++] = bytes(RedisMessageCodec.write(message, createdAt));
		}
		return this.redis.execute((RedisCallback<List<StoredMessage>>) (connection) -> {
			List<String> result = evalAppend(connection, keys.size(), keysAndArgs);
			String status = result.isEmpty() ? "NOSESSION" : result.get(0);
			if ("NOSESSION".equals(status)) {
				throw new SessionNotFoundException(sessionId);
			}
			if ("INACTIVE".equals(status)) {
				throw new SessionInactiveException(sessionId);
			}
			List<StoredMessage> stored = new ArrayList<>(messages.size());
			long added = 0;
			for (int m = 0; m < messages.size(); m++) {
				NewMessage message = messages.get(m);
				long sequence = Long.parseLong(result.get(4 + m * 2));
				String existingBody = result.get(5 + m * 2);
				if (existingBody.isEmpty()) {
					added++;
					stored.add(toStored(sessionId, sequence, message, createdAt));
				}
				else {
					stored.add(RedisMessageCodec.read(sessionId, message.id(), sequence, existingBody));
				}
			}
			String userId = result.get(1);
			long removed = Long.parseLong(result.get(2));
			boolean indexDue = "1".equals(result.get(3));
			sendIndexUpdates(connection, sessionId, userId.isEmpty() ? null : userId, now, added - removed,
					indexDue);
			return stored;
		});
	}

	/**
	 * Run the append script on the connection itself, by its SHA and by its text when
	 * Redis does not know it yet: the hot path skips the template's script executor and
	 * shares one connection with the index updates that follow.
	 */
	private static List<String> evalAppend(RedisConnection connection, int numKeys, byte[][] keysAndArgs) {
		Object reply;
		try {
			reply = connection.scriptingCommands().evalSha(APPEND.getSha1(), ReturnType.MULTI, numKeys, keysAndArgs);
		}
		catch (DataAccessException ex) {
			if (!String.valueOf(ex.getMostSpecificCause().getMessage()).contains("NOSCRIPT")) {
				throw ex;
			}
			reply = connection.scriptingCommands()
				.eval(bytes(APPEND.getScriptAsString()), ReturnType.MULTI, numKeys, keysAndArgs);
		}
		List<String> result = new ArrayList<>();
		if (reply instanceof List<?> values) {
			for (Object value : values) {
				result.add((value instanceof byte[] raw) ? new String(raw, StandardCharsets.UTF_8)
						: String.valueOf(value));
			}
		}
		return result;
	}

	private static StoredMessage toStored(String sessionId, long sequence, NewMessage message, Instant createdAt) {
		return new StoredMessage(message.id(), sessionId, sequence, message.role(), message.content(),
				message.metadata(), message.responseTo(), message.toolCalls(), message.toolResponses(), createdAt);
	}

	@Override
	public List<StoredMessage> readMessages(String sessionId, MessageQuery query) {
		return execute("read messages", () -> {
			Long bound = query.forward() ? query.after() : query.before();
			ReadReply reply = read(sessionId, query.forward(), bound, query.limit(), false);
			if (!reply.exists()) {
				throw new SessionNotFoundException(sessionId);
			}
			return reply.messages();
		});
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit) {
		return execute("read recent messages", () -> {
			ReadReply reply = read(sessionId, false, null, limit, true);
			return new RecentMessages(reply.exists(), reply.messageCount(), reply.system(), reply.messages());
		});
	}

	private ReadReply read(String sessionId, boolean forward, @Nullable Long bound, int limit, boolean withSystem) {
		List<?> result = this.redis.execute(READ, List.of(this.keys.meta(sessionId), this.keys.messages(sessionId)),
				forward ? "after" : "before", (bound != null) ? bound.toString() : (forward ? "0" : ""),
				Integer.toString(limit), withSystem ? "1" : "0");
		if (result == null || !"1".equals(result.get(0))) {
			return new ReadReply(false, 0, null, List.of());
		}
		long messageCount = Long.parseLong((String) result.get(1));
		int systemCount = Integer.parseInt((String) result.get(2));
		StoredMessage system = (systemCount > 0) ? entry(sessionId, result, 3) : null;
		int first = 3 + systemCount * 3;
		int count = (result.size() - first) / 3;
		StoredMessage[] messages = new StoredMessage[count];
		for (int i = 0; i < count; i++) {
			// a backward read comes newest first; callers get ascending order
			messages[forward ? i : count - 1 - i] = entry(sessionId, result, first + i * 3);
		}
		return new ReadReply(true, messageCount, system, List.of(messages));
	}

	private static StoredMessage entry(String sessionId, List<?> result, int offset) {
		return RedisMessageCodec.read(sessionId, (String) result.get(offset + 1),
				Long.parseLong((String) result.get(offset)), (String) result.get(offset + 2));
	}

	private record ReadReply(boolean exists, long messageCount, @Nullable StoredMessage system,
			List<StoredMessage> messages) {
	}

	@Override
	public void clearMessages(String sessionId) {
		execute("clear messages", () -> {
			long now = now();
			List<?> reply = this.redis.execute(CLEAR_MESSAGES, this.keys.session(sessionId), Long.toString(now),
					ttlMillis());
			if (reply == null || !"1".equals(reply.get(0))) {
				throw new SessionNotFoundException(sessionId);
			}
			String userId = (String) reply.get(1);
			touchIndexes(sessionId, userId.isEmpty() ? null : userId, now, -Long.parseLong((String) reply.get(2)));
			return null;
		});
	}

	@Override
	public PagedResult<ChatSession> findSessionsByUser(String userId, int page, int size) {
		return execute("find sessions by user", () -> {
			String index = this.keys.userSessions(userId);
			long start = (long) page * size;
			Set<String> ids = this.redis.opsForZSet().reverseRange(index, start, start + size - 1);
			Long total = this.redis.opsForZSet().zCard(index);
			List<ChatSession> sessions = new ArrayList<>();
			if (ids != null) {
				for (String id : ids) {
					Map<Object, Object> hash = this.redis.opsForHash().entries(this.keys.meta(id));
					if (hash.isEmpty()) {
						// expired by its time-to-live: repair the derived indexes
						removeFromUserIndex(userId, id);
						this.redis.opsForZSet().remove(this.keys.allSessions(), id);
						this.redis.opsForSet().remove(this.keys.inactiveSessions(), id);
					}
					else {
						sessions.add(toSession(id, hash));
					}
				}
			}
			return new PagedResult<>(sessions, page, size, (total != null) ? total : 0);
		});
	}

	@Override
	public List<String> findSessionIds(int limit) {
		return execute("find session ids", () -> {
			Set<String> ids = this.redis.opsForZSet().reverseRange(this.keys.allSessions(), 0, limit - 1);
			return (ids != null) ? List.copyOf(ids) : List.of();
		});
	}

	@Override
	public ChatSession importSession(ChatSession session, List<StoredMessage> imported, boolean replaceExisting) {
		int maxHistory = this.settings.maxHistory();
		List<StoredMessage> messages = (maxHistory > 0 && imported.size() > maxHistory)
				? imported.subList(imported.size() - maxHistory, imported.size()) : imported;
		return execute("import session", () -> {
			List<String> args = new ArrayList<>(8 + messages.size() * 4);
			args.add(replaceExisting ? "1" : "0");
			args.add((session.userId() != null) ? session.userId() : "");
			args.add(session.title());
			args.add(MetadataJson.write(session.metadata()));
			args.add(session.active() ? "1" : "0");
			args.add(Long.toString(session.createdAt().toEpochMilli()));
			args.add(Long.toString(session.updatedAt().toEpochMilli()));
			args.add(ttlMillis());
			for (StoredMessage message : messages) {
				args.add(Long.toString(message.sequence()));
				args.add(message.id());
				args.add(message.role().name());
				args.add(RedisMessageCodec.write(message));
			}
			List<?> reply = this.redis.execute(IMPORT_SESSION, this.keys.session(session.id()), args.toArray());
			if (reply == null || !"OK".equals(reply.get(0))) {
				throw new SessionAlreadyExistsException(session.id());
			}
			String previousUser = (String) reply.get(1);
			long previousCount = Long.parseLong((String) reply.get(2));
			if (!previousUser.isEmpty() && !previousUser.equals(session.userId())) {
				removeFromUserIndex(previousUser, session.id());
			}
			long updatedAt = session.updatedAt().toEpochMilli();
			if (session.userId() != null) {
				this.redis.opsForZSet().add(this.keys.userSessions(session.userId()), session.id(), updatedAt);
				this.redis.execute((RedisCallback<Boolean>) (connection) -> connection.zSetCommands()
					.zAdd(bytes(this.keys.users()), updatedAt, bytes(session.userId()), RedisZSetCommands.ZAddArgs.empty().gt()));
			}
			this.redis.opsForZSet().add(this.keys.allSessions(), session.id(), updatedAt);
			markActive(session.id(), session.active());
			this.redis.opsForHash().increment(this.keys.statistics(), MESSAGES_COUNTER, messages.size() - previousCount);
			return new ChatSession(session.id(), session.userId(), session.title(), session.metadata(),
					session.active(), session.createdAt(), session.updatedAt(), messages.size());
		});
	}

	@Override
	public List<String> findSessionIdsInactiveSince(Instant cutoff, int limit) {
		return execute("find inactive sessions", () -> {
			Set<String> ids = this.redis.opsForZSet()
				.rangeByScore(this.keys.allSessions(), Double.NEGATIVE_INFINITY,
						Math.nextDown((double) cutoff.toEpochMilli()), 0, limit);
			return (ids != null) ? List.copyOf(ids) : List.of();
		});
	}

	@Override
	public ChatMemoryStatistics statistics() {
		return execute("statistics", () -> {
			long sessions = orZero(this.redis.opsForZSet().zCard(this.keys.allSessions()));
			long inactive = orZero(this.redis.opsForSet().size(this.keys.inactiveSessions()));
			long users = orZero(this.redis.opsForZSet().zCard(this.keys.users()));
			List<Object> stats = this.redis.opsForHash()
				.multiGet(this.keys.statistics(), List.of(MESSAGES_COUNTER, "retentionRanAt", "retentionCutoff",
						"retentionDeleted"));
			long messages = (stats.get(0) != null) ? Math.max(0, Long.parseLong((String) stats.get(0))) : 0;
			RetentionRun retention = (stats.get(1) != null) ? new RetentionRun(instant(stats.get(1)),
					instant(stats.get(2)), Long.parseLong((String) stats.get(3))) : null;
			return new ChatMemoryStatistics(type(), sessions, Math.max(0, sessions - inactive), messages, users,
					retention);
		});
	}

	@Override
	public void recordRetentionRun(RetentionRun run) {
		execute("record retention run", () -> {
			this.redis.opsForHash()
				.putAll(this.keys.statistics(),
						Map.of("retentionRanAt", Long.toString(run.ranAt().toEpochMilli()), "retentionCutoff",
								Long.toString(run.cutoff().toEpochMilli()), "retentionDeleted",
								Long.toString(run.deletedSessions())));
			return null;
		});
	}

	private static long orZero(@Nullable Long value) {
		return (value != null) ? value : 0;
	}

	/**
	 * Record activity in the indexes and the message counter. They live in other hash
	 * slots than the session, so they cannot be part of the session's script; with
	 * Lettuce the updates are sent without waiting for their replies, keeping a write at
	 * one round trip.
	 */
	private void touchIndexes(String sessionId, @Nullable String userId, long now, long messageDelta) {
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			sendIndexUpdates(connection, sessionId, userId, now, messageDelta, true);
			return null;
		});
	}

	private void sendIndexUpdates(RedisConnection connection, String sessionId, @Nullable String userId, long now,
			long messageDelta, boolean activity) {
		if (!activity && messageDelta == 0) {
			return;
		}
		byte[] member = bytes(sessionId);
		Object nativeConnection = this.sendIndexUpdatesAsync ? connection.getNativeConnection() : null;
		if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands) {
			@SuppressWarnings("unchecked")
			RedisClusterAsyncCommands<byte[], byte[]> async = (RedisClusterAsyncCommands<byte[], byte[]>) commands;
			if (activity) {
				async.zadd(bytes(this.keys.allSessions()), ZAddArgs.Builder.gt(), now, member)
					.exceptionally(this::logIndexFailure);
				if (userId != null) {
					async.zadd(bytes(this.keys.userSessions(userId)), ZAddArgs.Builder.gt(), now, member)
						.exceptionally(this::logIndexFailure);
					async.zadd(bytes(this.keys.users()), ZAddArgs.Builder.gt(), now, bytes(userId))
						.exceptionally(this::logIndexFailure);
				}
			}
			if (messageDelta != 0) {
				async.hincrby(bytes(this.keys.statistics()), bytes(MESSAGES_COUNTER), messageDelta)
					.exceptionally(this::logIndexFailure);
			}
		}
		else {
			touchIndexesSynchronously(connection, member, activity ? userId : null, activity, now, messageDelta);
		}
	}

	private void touchIndexesSynchronously(RedisConnection connection, byte[] member, @Nullable String userId,
			boolean activity, long now, long messageDelta) {
		RedisZSetCommands.ZAddArgs greater = RedisZSetCommands.ZAddArgs.empty().gt();
		if (activity) {
			connection.zSetCommands().zAdd(bytes(this.keys.allSessions()), now, member, greater);
		}
		if (userId != null) {
			connection.zSetCommands().zAdd(bytes(this.keys.userSessions(userId)), now, member, greater);
			connection.zSetCommands().zAdd(bytes(this.keys.users()), now, bytes(userId), greater);
		}
		if (messageDelta != 0) {
			connection.hashCommands().hIncrBy(bytes(this.keys.statistics()), bytes(MESSAGES_COUNTER), messageDelta);
		}
	}

	private <T> @Nullable T logIndexFailure(Throwable ex) {
		logger.warn("Could not update a chat memory index or counter; indexes are repaired when read", ex);
		return null;
	}

	private ChatSession toSession(String id, Map<Object, Object> hash) {
		String userId = (String) hash.get("userId");
		return new ChatSession(id, (userId == null || userId.isEmpty()) ? null : userId,
				(String) hash.getOrDefault("title", ""), MetadataJson.read((String) hash.getOrDefault("metadata", "{}")),
				!"0".equals(hash.get("active")), instant(hash.get("createdAt")), instant(hash.get("updatedAt")),
				Long.parseLong((String) hash.getOrDefault("count", "0")));
	}

	private static Instant instant(@Nullable Object epochMillis) {
		return Instant.ofEpochMilli((epochMillis != null) ? Long.parseLong((String) epochMillis) : 0);
	}

	private long now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
	}

	private String ttlMillis() {
		Duration ttl = this.settings.timeToLive();
		return (ttl != null) ? Long.toString(ttl.toMillis()) : "0";
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private <T> T execute(String operation, Supplier<T> action) {
		try {
			return action.get();
		}
		catch (DataAccessResourceFailureException | TransientDataAccessException ex) {
			throw new ChatMemoryUnavailableException(
					"Redis chat memory store is unavailable (" + operation + "): " + ex.getMostSpecificCause().getMessage(),
					ex);
		}
	}

}
