package io.github.chatmemory.store.redis;

import java.nio.charset.StandardCharsets;
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
import io.github.chatmemory.support.MetadataJson;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.RetentionRun;
import io.github.chatmemory.SessionAlreadyExistsException;
import io.github.chatmemory.SessionInactiveException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.ChatMemoryStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * A {@link ChatMemoryStore} on Redis through Spring Data Redis: every write to a session
 * is one Lua script round trip over keys that share one hash slot, so it is atomic
 * (ownership checks included), Cluster-safe and never reads the history. See
 * {@link RedisKeys} for the layout and {@link RedisSessionIndexes} for the indexes, which
 * live in other slots and are derived data that cannot drift; statistics are computed from
 * the sessions themselves. Failures are left as Spring's {@code DataAccessException}s and
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

	/**
	 * The message bytes one read reply carries at most; a longer read continues in further
	 * replies, so that a bulk read never holds a shared connection for long.
	 */
	static final int READ_BUDGET_BYTES = 1024 * 1024;

	/** The most sessions that statistics read the meta hash of. */
	private static final int MAX_STATISTICS_SESSIONS = 1_000_000;

	private static final RedisScript<List> APPEND = script("append.lua", List.class);

	private static final RedisScript<List> READ = script("read.lua", List.class);

	private static final RedisScript<Long> CREATE_SESSION = script("create-session.lua", Long.class);

	private static final RedisScript<List> UPDATE_SESSION = script("update-session.lua", List.class);

	private static final RedisScript<List> CLEAR_MESSAGES = script("clear-messages.lua", List.class);

	private static final RedisScript<List> DELETE_SESSION = script("delete-session.lua", List.class);

	private static final RedisScript<List> IMPORT_SESSION = script("import-session.lua", List.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final RedisSessionIndexes indexes;

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
		this.indexes = new RedisSessionIndexes(this.redis, this.keys, settings.timeToLive(), clock,
				INDEX_RESOLUTION_MILLIS, commandTimeout, asyncWrites);
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
		this.redis.execute(RedisConnection::ping);
	}

	@Override
	public ChatSession createSession(String id, String userId, String title, Map<String, Object> metadata) {
		long now = now();
		Long created = this.redis.execute(CREATE_SESSION, this.keys.session(id), userId, title,
				MetadataJson.write(metadata), Long.toString(now), ttlMillis());
		if (created == null || created == 0) {
			throw new SessionAlreadyExistsException(id);
		}
		indexAfterWrite(() -> this.indexes.touch(id, userId, now));
		Instant instant = Instant.ofEpochMilli(now);
		return new ChatSession(id, userId, title, metadata, true, instant, instant, 0);
	}

	@Override
	public Optional<ChatSession> findSession(String id) {
		Map<Object, Object> hash = this.redis.opsForHash().entries(this.keys.meta(id));
		return hash.isEmpty() ? Optional.empty() : Optional.of(toSession(id, strings(hash)));
	}

	@Override
	public ChatSession updateSession(String id, SessionUpdate update, @Nullable String owner) {
		long now = now();
		String active = (update.active() != null) ? (update.active() ? "1" : "0") : "";
		List<?> hash = this.redis.execute(UPDATE_SESSION, this.keys.session(id), (update.title() != null) ? "1" : "0",
				(update.title() != null) ? update.title() : "", active, Long.toString(now), ttlMillis(),
				orEmpty(owner));
		if (hash == null || hash.isEmpty()) {
			throw new SessionNotFoundException(id);
		}
		Map<String, String> fields = new HashMap<>();
		for (int i = 0; i + 1 < hash.size(); i += 2) {
			fields.put((String) hash.get(i), (String) hash.get(i + 1));
		}
		ChatSession session = toSession(id, fields);
		indexAfterWrite(() -> this.indexes.touch(id, session.userId(), now));
		return session;
	}

	@Override
	public boolean deleteSession(String id, @Nullable String owner) {
		return delete(id, "", orEmpty(owner));
	}

	@Override
	public boolean deleteSessionIfInactiveSince(String id, Instant cutoff) {
		return delete(id, Long.toString(cutoff.toEpochMilli()), "");
	}

	private boolean delete(String id, String cutoff, String owner) {
		List<?> reply = this.redis.execute(DELETE_SESSION, this.keys.session(id), cutoff, owner);
		String outcome = (reply != null) ? (String) reply.get(0) : "0";
		switch (outcome) {
			case "1" -> {
				indexAfterWrite(() -> this.indexes.remove(id, nullIfEmpty((String) reply.get(1))));
				return true;
			}
			case "2" -> {
				// kept for newer activity: make sure the indexes know that activity
				long activity = Long.parseLong((String) reply.get(2));
				indexAfterWrite(() -> this.indexes.touch(id, nullIfEmpty((String) reply.get(1)), activity));
				return false;
			}
			case "3" -> {
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
	public List<StoredMessage> append(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			@Nullable String owner) {
		return write(sessionId, messages, createIfMissing, false, orEmpty(owner));
	}

	@Override
	public List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages) {
		return write(sessionId, messages, true, true, "");
	}

	private List<StoredMessage> write(String sessionId, List<NewMessage> messages, boolean createIfMissing,
			boolean replace, String owner) {
		long now = now();
		Instant createdAt = Instant.ofEpochMilli(now);
		List<String> keys = this.keys.session(sessionId);
		byte[][] keysAndArgs = new byte[keys.size() + 7 + messages.size() * 5][];
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
		keysAndArgs[i++] = bytes(owner);
		for (NewMessage message : messages) {
			Assert.notNull(message.id(), "Messages must have an id before they reach the store");
			keysAndArgs[i++] = bytes(message.id());
			keysAndArgs[i++] = bytes(message.role().name());
			keysAndArgs[i++] = bytes(orEmpty(message.responseTo()));
			keysAndArgs[i++] = bytes(RedisMessageCodec.fingerprint(message));
			keysAndArgs[i++] = bytes(RedisMessageCodec.write(message, createdAt));
		}
		return this.redis.execute((RedisCallback<List<StoredMessage>>) (connection) -> {
			List<String> result = evalAppend(connection, keys.size(), keysAndArgs);
			String status = result.isEmpty() ? "NOSESSION" : result.get(0);
			switch (status) {
				case "OK" -> {
				}
				case "INACTIVE" -> throw new SessionInactiveException(sessionId);
				case "CONFLICT" -> throw new IdempotencyConflictException(sessionId,
						messages.get(Integer.parseInt(result.get(1)) - 1).id());
				case "NORESPONSETO" -> {
					int index = Integer.parseInt(result.get(1)) - 1;
					throw new ChatMemoryValidationException("messages[" + index + "].responseTo",
							"must name a message of the session but was '" + messages.get(index).responseTo() + "'");
				}
				default -> throw new SessionNotFoundException(sessionId);
			}
			List<StoredMessage> stored = new ArrayList<>(messages.size());
			for (int m = 0; m < messages.size(); m++) {
				NewMessage message = messages.get(m);
				long sequence = Long.parseLong(result.get(4 + m * 2));
				String existingBody = result.get(5 + m * 2);
				stored.add(existingBody.isEmpty() ? toStored(sessionId, sequence, message, createdAt)
						: RedisMessageCodec.read(sessionId, message.id(), sequence, existingBody));
			}
			if ("1".equals(result.get(3))) {
				indexAfterWrite(() -> this.indexes.touch(connection, sessionId, nullIfEmpty(result.get(1)), now));
			}
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
				message.metadata(), message.responseTo(), message.toolCalls(), message.toolResponses(), createdAt,
				message.media());
	}

	@Override
	public List<StoredMessage> readMessages(String sessionId, MessageQuery query) {
		Long bound = query.forward() ? query.after() : query.before();
		ReadReply reply = read(sessionId, query.forward(), bound, query.limit(), false);
		if (!reply.exists()) {
			throw new SessionNotFoundException(sessionId);
		}
		return reply.messages();
	}

	@Override
	public RecentMessages readRecent(String sessionId, int limit) {
		ReadReply reply = read(sessionId, false, null, limit, true);
		return new RecentMessages(reply.exists(), reply.messageCount(), reply.system(), reply.messages());
	}

	/**
	 * Read up to {@code limit} messages in replies of at most {@link #READ_BUDGET_BYTES}
	 * each, going on from where the last reply ended.
	 */
	private ReadReply read(String sessionId, boolean forward, @Nullable Long bound, int limit, boolean withSystem) {
		List<List<StoredMessage>> pages = new ArrayList<>();
		ReadReply first = null;
		int remaining = limit;
		Long next = bound;
		while (true) {
			ReadReply reply = readOnce(sessionId, forward, next, remaining, withSystem && first == null);
			if (first == null) {
				first = reply;
			}
			if (!reply.exists() || reply.messages().isEmpty()) {
				break;
			}
			pages.add(reply.messages());
			remaining -= reply.messages().size();
			if (!reply.more() || remaining <= 0) {
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
		return new ReadReply(true, first.messageCount(), first.system(), messages, false);
	}

	private ReadReply readOnce(String sessionId, boolean forward, @Nullable Long bound, int limit,
			boolean withSystem) {
		List<?> result = this.redis.execute(READ, List.of(this.keys.meta(sessionId), this.keys.messages(sessionId)),
				forward ? "after" : "before", (bound != null) ? bound.toString() : (forward ? "0" : ""),
				Integer.toString(limit), withSystem ? "1" : "0", Integer.toString(READ_BUDGET_BYTES));
		if (result == null || !"1".equals(result.get(0))) {
			return new ReadReply(false, 0, null, List.of(), false);
		}
		long messageCount = Long.parseLong((String) result.get(1));
		int systemCount = Integer.parseInt((String) result.get(2));
		boolean more = "1".equals(result.get(3));
		StoredMessage system = (systemCount > 0) ? entry(sessionId, result, 4) : null;
		int first = 4 + systemCount * 3;
		int count = (result.size() - first) / 3;
		StoredMessage[] messages = new StoredMessage[count];
		for (int i = 0; i < count; i++) {
			// a backward read comes newest first; callers get ascending order
			messages[forward ? i : count - 1 - i] = entry(sessionId, result, first + i * 3);
		}
		return new ReadReply(true, messageCount, system, List.of(messages), more);
	}

	private static StoredMessage entry(String sessionId, List<?> result, int offset) {
		return RedisMessageCodec.read(sessionId, (String) result.get(offset + 1),
				Long.parseLong((String) result.get(offset)), (String) result.get(offset + 2));
	}

	private record ReadReply(boolean exists, long messageCount, @Nullable StoredMessage system,
			List<StoredMessage> messages, boolean more) {
	}

	@Override
	public void clearMessages(String sessionId, @Nullable String owner) {
		long now = now();
		List<?> reply = this.redis.execute(CLEAR_MESSAGES, this.keys.session(sessionId), Long.toString(now),
				ttlMillis(), orEmpty(owner));
		if (reply == null || !"1".equals(reply.get(0))) {
			throw new SessionNotFoundException(sessionId);
		}
		indexAfterWrite(() -> this.indexes.touch(sessionId, nullIfEmpty((String) reply.get(1)), now));
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
	public ChatSession importSession(ChatSession session, List<StoredMessage> imported, boolean replaceExisting,
			@Nullable String owner) {
		int maxHistory = this.settings.maxHistory();
		List<StoredMessage> messages = (maxHistory > 0 && imported.size() > maxHistory)
				? imported.subList(imported.size() - maxHistory, imported.size()) : imported;
		List<String> args = new ArrayList<>(9 + messages.size() * 5);
		args.add(replaceExisting ? "1" : "0");
		args.add(orEmpty(session.userId()));
		args.add(session.title());
		args.add(MetadataJson.write(session.metadata()));
		args.add(session.active() ? "1" : "0");
		args.add(Long.toString(session.createdAt().toEpochMilli()));
		args.add(Long.toString(session.updatedAt().toEpochMilli()));
		args.add(ttlMillis());
		args.add(orEmpty(owner));
		for (StoredMessage message : messages) {
			args.add(Long.toString(message.sequence()));
			args.add(message.id());
			args.add(message.role().name());
			args.add(RedisMessageCodec.fingerprint(message));
			args.add(RedisMessageCodec.write(message));
		}
		List<?> reply = this.redis.execute(IMPORT_SESSION, this.keys.session(session.id()), args.toArray());
		String status = (reply != null) ? (String) reply.get(0) : "CONFLICT";
		if ("NOTOWNER".equals(status)) {
			throw new SessionNotFoundException(session.id());
		}
		if (!"OK".equals(status)) {
			throw new SessionAlreadyExistsException(session.id());
		}
		// with a time-to-live the keys live from now on, so the index scores the import as
		// activity: an older score would have the entry trimmed while the session lives
		long score = (this.settings.timeToLive() != null) ? Math.max(now(), session.updatedAt().toEpochMilli())
				: session.updatedAt().toEpochMilli();
		indexAfterWrite(
				() -> this.indexes.put(session.id(), session.userId(), score, nullIfEmpty((String) reply.get(1))));
		return new ChatSession(session.id(), session.userId(), session.title(), session.metadata(), session.active(),
				session.createdAt(), session.updatedAt(), messages.size());
	}

	@Override
	public List<String> findSessionIdsInactiveSince(Instant cutoff, int limit) {
		return this.indexes.inactiveSince(cutoff.toEpochMilli(), limit);
	}

	@Override
	public long repairIndexes() {
		return this.indexes.repair();
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
				Long.parseLong(hash.getOrDefault("count", "0")));
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

	private String ttlMillis() {
		Duration ttl = this.settings.timeToLive();
		return (ttl != null) ? Long.toString(ttl.toMillis()) : "0";
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private static @Nullable String nullIfEmpty(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
