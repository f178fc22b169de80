package io.github.chatmemory.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.github.chatmemory.ChatSession;
import io.github.chatmemory.PagedResult;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.data.redis.core.script.RedisScript;

import static io.github.chatmemory.store.redis.RedisReplies.bytes;
import static io.github.chatmemory.store.redis.RedisReplies.cast;
import static io.github.chatmemory.store.redis.RedisReplies.string;

/**
 * The one place that writes and reads the Redis store's indexes: a user's sessions and all
 * sessions, each a sorted set scored by last activity. They live in other hash slots than
 * the sessions, so they are written right after a session's script and are derived data,
 * kept exact in what they show by three rules:
 * <ul>
 * <li>writes are idempotent ({@code ZADD GT}, {@code ZREM}), so a retry never doubles
 * anything, and a session's next write re-sends an entry that a crash lost;</li>
 * <li>with a time-to-live, entries older than it are trimmed by score before every range
 * read, and the index keys expire with their newest session;</li>
 * <li>an entry met whose session is gone (or owned by someone else now) is left out before
 * the page is cut, and removed unless its score changed meanwhile, so pages never shift
 * and never come back short while more sessions follow.</li>
 * </ul>
 * Nothing here counts: statistics are computed from the sessions themselves.
 */
final class RedisSessionIndexes {

	private static final Log logger = LogFactory.getLog(RedisSessionIndexes.class);

	/** How many index entries one step of a walk reads. */
	private static final int WALK_BATCH = 200;

	/** The shortest time between two index repairs of one instance. */
	private static final long MIN_REPAIR_INTERVAL_MILLIS = 60_000;

	/** How many batches of old entries one trim checks at most. */
	private static final int MAX_TRIM_ROUNDS = 10;

	private static final RedisScript<Long> REMOVE_STALE = RedisScript
		.of(new ClassPathResource("remove-stale.lua", RedisSessionIndexes.class), Long.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final @Nullable Duration timeToLive;

	private final Clock clock;

	private final long indexResolutionMillis;

	private final Duration commandTimeout;

	private final boolean asyncWrites;

	/** Told of the sessions found gone by a walk or a trim, which no delete script saw go. */
	private final Consumer<List<String>> goneSessions;

	private final java.util.concurrent.atomic.AtomicLong lastRepair = new java.util.concurrent.atomic.AtomicLong(
			Long.MIN_VALUE / 2);

	RedisSessionIndexes(StringRedisTemplate redis, RedisKeys keys, @Nullable Duration timeToLive, Clock clock,
			long indexResolutionMillis, Duration commandTimeout, boolean asyncWrites,
			Consumer<List<String>> goneSessions) {
		this.redis = redis;
		this.keys = keys;
		this.timeToLive = timeToLive;
		this.clock = clock;
		this.indexResolutionMillis = indexResolutionMillis;
		this.commandTimeout = commandTimeout;
		this.asyncWrites = asyncWrites;
		this.goneSessions = goneSessions;
	}

	/**
	 * Record activity of a session on the given connection, after its script: with
	 * Lettuce's shared connection the commands are sent without waiting for replies, so a
	 * write stays at one round trip; a lost entry comes back with the session's next write.
	 */
	void touch(RedisConnection connection, String sessionId, @Nullable String userId, long score) {
		byte[] member = bytes(sessionId);
		Object nativeConnection = this.asyncWrites ? connection.getNativeConnection() : null;
		if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands) {
			RedisClusterAsyncCommands<byte[], byte[]> async = cast(commands);
			async.zadd(bytes(this.keys.allSessions()), ZAddArgs.Builder.gt(), score, member)
				.exceptionally(this::logFailure);
			expire(async, this.keys.allSessions());
			if (userId != null) {
				async.zadd(bytes(this.keys.userSessions(userId)), ZAddArgs.Builder.gt(), score, member)
					.exceptionally(this::logFailure);
				expire(async, this.keys.userSessions(userId));
			}
			return;
		}
		touchSynchronously(connection, sessionId, userId, score);
	}

	/**
	 * Index a batch of sessions, pipelined, waiting for the batch's replies before the
	 * next: a repair of millions of sessions never queues millions of commands.
	 */
	private void touchBatch(RedisConnection connection, List<String> sessionIds, List<@Nullable String> userIds,
			List<Long> scores) {
		Object nativeConnection = connection.getNativeConnection();
		if (!(nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands)) {
			for (int i = 0; i < sessionIds.size(); i++) {
				touchSynchronously(connection, sessionIds.get(i), userIds.get(i), scores.get(i));
			}
			return;
		}
		RedisClusterAsyncCommands<byte[], byte[]> async = cast(commands);
		List<Future<?>> replies = new ArrayList<>();
		for (int i = 0; i < sessionIds.size(); i++) {
			byte[] member = bytes(sessionIds.get(i));
			replies.add(async.zadd(bytes(this.keys.allSessions()), ZAddArgs.Builder.gt(), scores.get(i), member));
			String userId = userIds.get(i);
			if (userId != null) {
				replies.add(async.zadd(bytes(this.keys.userSessions(userId)), ZAddArgs.Builder.gt(), scores.get(i),
						member));
			}
		}
		for (Future<?> reply : replies) {
			await(reply);
		}
	}

	private void touchSynchronously(RedisConnection connection, String sessionId, @Nullable String userId,
			long score) {
		byte[] member = bytes(sessionId);
		RedisZSetCommands.ZAddArgs greater = RedisZSetCommands.ZAddArgs.empty().gt();
		connection.zSetCommands().zAdd(bytes(this.keys.allSessions()), score, member, greater);
		expire(connection, this.keys.allSessions());
		if (userId != null) {
			connection.zSetCommands().zAdd(bytes(this.keys.userSessions(userId)), score, member, greater);
			expire(connection, this.keys.userSessions(userId));
		}
	}

	void touch(String sessionId, @Nullable String userId, long score) {
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			touch(connection, sessionId, userId, score);
			return null;
		});
	}

	/**
	 * Put a session at an exact score, as an import does, and take it out of the index of
	 * a previous owner.
	 */
	void put(String sessionId, @Nullable String userId, long score, @Nullable String previousUserId) {
		if (previousUserId != null && !previousUserId.equals(userId)) {
			this.redis.opsForZSet().remove(this.keys.userSessions(previousUserId), sessionId);
		}
		this.redis.opsForZSet().add(this.keys.allSessions(), sessionId, score);
		if (userId != null) {
			this.redis.opsForZSet().add(this.keys.userSessions(userId), sessionId, score);
		}
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			expire(connection, this.keys.allSessions());
			if (userId != null) {
				expire(connection, this.keys.userSessions(userId));
			}
			return null;
		});
	}

	/**
	 * List a session before the script that writes it runs, so that a script whose reply
	 * is lost (a client timeout or a broken connection while Redis runs it) never leaves a
	 * session that no index lists; until the script has written, listings drop the entry
	 * as they drop any entry whose session is gone. Entries already there keep their
	 * score.
	 * @return whether the user's index gained an entry
	 */
	boolean listBeforeWrite(String sessionId, @Nullable String userId, long score) {
		byte[] member = bytes(sessionId);
		RedisZSetCommands.ZAddArgs absent = RedisZSetCommands.ZAddArgs.empty().nx();
		return Boolean.TRUE.equals(this.redis.execute((RedisCallback<Boolean>) (connection) -> {
			connection.zSetCommands().zAdd(bytes(this.keys.allSessions()), score, member, absent);
			expire(connection, this.keys.allSessions());
			if (userId == null) {
				return false;
			}
			Boolean added = connection.zSetCommands().zAdd(bytes(this.keys.userSessions(userId)), score, member,
					absent);
			expire(connection, this.keys.userSessions(userId));
			return added;
		}));
	}

	/** Take back a user's entry that {@link #listBeforeWrite} added for a write that did not happen. */
	void unlist(String sessionId, String userId) {
		this.redis.opsForZSet().remove(this.keys.userSessions(userId), sessionId);
		indexAgainIfAlive(List.of(sessionId));
	}

	/**
	 * Index a session if it exists, after a write whose outcome is unknown.
	 */
	void indexIfAlive(String sessionId) {
		indexAgainIfAlive(List.of(sessionId));
	}

	void remove(String sessionId, @Nullable String userId) {
		this.redis.opsForZSet().remove(this.keys.allSessions(), sessionId);
		if (userId != null) {
			this.redis.opsForZSet().remove(this.keys.userSessions(userId), sessionId);
		}
		indexAgainIfAlive(List.of(sessionId));
	}

	/**
	 * Put back the entries of sessions that live after all: a session created again under
	 * the same id between a delete's script and its index removal (or between a walk's
	 * look and its removal) wrote its entry before the removal took it away.
	 * @return the sessions that are gone
	 */
	private List<String> indexAgainIfAlive(List<String> sessionIds) {
		List<TypedTuple<String>> entries = new ArrayList<>(sessionIds.size());
		sessionIds.forEach((id) -> entries.add(TypedTuple.of(id, 0.0)));
		List<List<String>> values = fields(entries, List.of("updatedAt", "userId"));
		List<String> gone = new ArrayList<>();
		for (int i = 0; i < sessionIds.size(); i++) {
			String updatedAt = values.get(i).get(0);
			if (updatedAt == null) {
				gone.add(sessionIds.get(i));
			}
			else {
				String userId = values.get(i).get(1);
				String sessionId = sessionIds.get(i);
				this.redis.execute((RedisCallback<Void>) (connection) -> {
					touchSynchronously(connection, sessionId, (userId == null || userId.isEmpty()) ? null : userId,
							Long.parseLong(updatedAt));
					return null;
				});
			}
		}
		return gone;
	}

	/**
	 * A page of a user's sessions, newest activity first. The walk checks every entry up
	 * to the end of the page, plus one, so that stale entries before or on the page
	 * neither shift it nor shorten it, and {@code hasNext} is exact.
	 */
	PagedResult<ChatSession> userSessions(String userId, int page, int size,
			BiFunction<String, Map<String, String>, ChatSession> decoder) {
		String index = this.keys.userSessions(userId);
		trim(index);
		// an entry whose session is gone or now another user's is stale; it may still be
		// alive elsewhere, so its indexes are written again
		return walk(index, page, size, "userId", userId::equals, this::removeStale, decoder);
	}

	/**
	 * A page of the sessions branched off a session, newest first, from the session's
	 * branches sorted set. As for a user's sessions, the walk goes to the end of the page,
	 * plus one, and forgets the entries of branches that are gone (deleted, expired,
	 * removed by retention), so that they neither shift nor shorten the page.
	 */
	PagedResult<ChatSession> branches(String index, int page, int size,
			BiFunction<String, Map<String, String>, ChatSession> decoder) {
		return walk(index, page, size, "createdAt", Objects::nonNull, this::removeUnchanged, decoder);
	}

	/**
	 * Walk a sorted set of session ids, highest score first, to the end of a page plus
	 * one: an entry is live when a field of its session's meta hash passes a check, stale
	 * entries are removed as they are met (by the given remover, only if their score is
	 * unchanged), and the page is cut from live entries only.
	 */
	private PagedResult<ChatSession> walk(String index, int page, int size, String field,
			Predicate<@Nullable String> live, BiFunction<String, List<TypedTuple<String>>, Long> remover,
			BiFunction<String, Map<String, String>, ChatSession> decoder) {
		long pageStart = (long) page * size;
		long wanted = pageStart + size + 1;
		List<String> pageIds = new ArrayList<>(size);
		// activity during the walk moves entries up, so one may come twice
		Set<String> seen = new HashSet<>();
		long counted = 0;
		long rank = 0;
		while (counted < wanted) {
			List<TypedTuple<String>> entries = range(index, rank, (int) Math.min(WALK_BATCH, wanted - counted + 16));
			if (entries.isEmpty()) {
				break;
			}
			List<String> values = fields(entries, field);
			List<TypedTuple<String>> stale = new ArrayList<>();
			for (int i = 0; i < entries.size() && counted < wanted; i++) {
				if (!live.test(values.get(i))) {
					stale.add(entries.get(i));
					continue;
				}
				if (!seen.add(entries.get(i).getValue())) {
					continue;
				}
				if (counted >= pageStart && counted < pageStart + size) {
					pageIds.add(entries.get(i).getValue());
				}
				counted++;
			}
			rank += entries.size() - remover.apply(index, stale);
		}
		List<ChatSession> sessions = new ArrayList<>(pageIds.size());
		List<Map<String, String>> hashes = hashes(pageIds);
		for (int i = 0; i < pageIds.size(); i++) {
			// a session deleted between the two reads is simply not shown
			if (!hashes.get(i).isEmpty()) {
				sessions.add(decoder.apply(pageIds.get(i), hashes.get(i)));
			}
		}
		long total = (counted < wanted) ? counted : Math.max(counted, count(index));
		return new PagedResult<>(sessions, page, size, total);
	}

	/** The ids of live sessions, newest activity first. */
	List<String> recentSessionIds(int limit) {
		String index = this.keys.allSessions();
		trim(index);
		Set<String> ids = new java.util.LinkedHashSet<>();
		long rank = 0;
		while (ids.size() < limit) {
			List<TypedTuple<String>> entries = range(index, rank, Math.min(WALK_BATCH, limit - ids.size() + 16));
			if (entries.isEmpty()) {
				break;
			}
			List<String> created = fields(entries, "createdAt");
			List<TypedTuple<String>> stale = new ArrayList<>();
			for (int i = 0; i < entries.size() && ids.size() < limit; i++) {
				if (created.get(i) == null) {
					stale.add(entries.get(i));
				}
				else if (!ids.contains(entries.get(i).getValue())) {
					ids.add(entries.get(i).getValue());
				}
			}
			rank += entries.size() - removeStale(index, stale);
		}
		return List.copyOf(ids);
	}

	/** The ids of sessions without activity since a cutoff, oldest first. */
	List<String> inactiveSince(long cutoffMillis, int limit) {
		String index = this.keys.allSessions();
		trim(index);
		Set<String> ids = this.redis.opsForZSet()
			.rangeByScore(index, Double.NEGATIVE_INFINITY, Math.nextDown((double) cutoffMillis), 0, limit);
		return (ids != null) ? List.copyOf(ids) : List.of();
	}

	/**
	 * Count what the sessions hold, from their own meta hashes, walking the index of all
	 * sessions in batches: exact, and never a scan of messages.
	 */
	Totals totals(int maxSessions) {
		String index = this.keys.allSessions();
		trim(index);
		long sessions = 0;
		long active = 0;
		long messages = 0;
		Set<String> users = new HashSet<>();
		// activity during the walk moves entries up, so one may come twice
		Set<String> seen = new HashSet<>();
		long rank = 0;
		while (sessions < maxSessions) {
			List<TypedTuple<String>> entries = range(index, rank, WALK_BATCH);
			if (entries.isEmpty()) {
				break;
			}
			List<List<String>> values = fields(entries, List.of("createdAt", "active", "count", "userId"));
			List<TypedTuple<String>> stale = new ArrayList<>();
			for (int i = 0; i < entries.size(); i++) {
				List<String> meta = values.get(i);
				if (meta.get(0) == null) {
					stale.add(entries.get(i));
					continue;
				}
				if (!seen.add(entries.get(i).getValue())) {
					continue;
				}
				sessions++;
				active += "0".equals(meta.get(1)) ? 0 : 1;
				messages += (meta.get(2) != null) ? Long.parseLong(meta.get(2)) : 0;
				if (meta.get(3) != null && !meta.get(3).isEmpty()) {
					users.add(meta.get(3));
				}
			}
			rank += entries.size() - removeStale(index, stale);
		}
		return new Totals(sessions, active, messages, users.size());
	}

	record Totals(long sessions, long activeSessions, long messages, long users) {
	}

	/**
	 * Put every session back into the indexes at its last activity, finding the sessions
	 * with {@code SCAN} (on every master of a Cluster): the maintenance path that closes
	 * the one gap of writing indexes after a session's script, a crash in between.
	 * @return how many sessions were looked at
	 */
	long repair() {
		long now = this.clock.millis();
		long last = this.lastRepair.get();
		if (now - last < MIN_REPAIR_INTERVAL_MILLIS && now >= last || !this.lastRepair.compareAndSet(last, now)) {
			return 0;
		}
		try {
			return scanAndRepair();
		}
		catch (RuntimeException ex) {
			// a failed repair must not hold back the next one
			this.lastRepair.compareAndSet(now, last);
			throw ex;
		}
	}

	private long scanAndRepair() {
		return this.redis.execute((RedisCallback<Long>) (connection) -> new RedisSessionKeyScan(WALK_BATCH)
			.forEachBatch(connection, this.keys::meta, (ids) -> repair(connection, ids)));
	}

	private void repair(RedisConnection connection, List<String> ids) {
		List<TypedTuple<String>> entries = new ArrayList<>(ids.size());
		ids.forEach((id) -> entries.add(TypedTuple.of(id, 0.0)));
		List<List<String>> values = fields(entries, List.of("updatedAt", "userId"));
		List<String> sessionIds = new ArrayList<>();
		List<String> userIds = new ArrayList<>();
		List<Long> scores = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			String updatedAt = values.get(i).get(0);
			if (updatedAt != null) {
				String userId = values.get(i).get(1);
				sessionIds.add(ids.get(i));
				userIds.add((userId == null || userId.isEmpty()) ? null : userId);
				scores.add(Long.parseLong(updatedAt));
			}
		}
		touchBatch(connection, sessionIds, userIds, scores);
	}

	/**
	 * With a time-to-live, check the entries old enough for their session to have
	 * expired, a bounded number per call: an entry whose session is gone is removed, one
	 * whose session lives on (its index write was lost, or it has no expiry because it
	 * was written before the time-to-live was set) is scored again by its last activity,
	 * so that trimming never hides a live session.
	 */
	private void trim(String index) {
		if (this.timeToLive == null) {
			return;
		}
		// scores come from the same clock
		long cutoff = this.clock.millis() - this.timeToLive.toMillis() - this.indexResolutionMillis;
		for (int round = 0; round < MAX_TRIM_ROUNDS; round++) {
			Set<TypedTuple<String>> old = this.redis.opsForZSet()
				.rangeByScoreWithScores(index, Double.NEGATIVE_INFINITY, Math.nextDown((double) cutoff), 0, WALK_BATCH);
			if (old == null || old.isEmpty()) {
				return;
			}
			List<TypedTuple<String>> entries = new ArrayList<>(old);
			List<String> updatedAt = fields(entries, "updatedAt");
			List<TypedTuple<String>> stale = new ArrayList<>();
			for (int i = 0; i < entries.size(); i++) {
				if (updatedAt.get(i) == null) {
					stale.add(entries.get(i));
				}
				else {
					// GT: a concurrent write may have raised the score meanwhile
					byte[] member = bytes(entries.get(i).getValue());
					long activity = Long.parseLong(updatedAt.get(i));
					this.redis.execute((RedisCallback<Boolean>) (connection) -> connection.zSetCommands()
						.zAdd(bytes(index), activity, member, RedisZSetCommands.ZAddArgs.empty().gt()));
				}
			}
			removeStale(index, stale);
			if (entries.size() < WALK_BATCH) {
				return;
			}
		}
	}

	private List<TypedTuple<String>> range(String index, long rank, int count) {
		Set<TypedTuple<String>> entries = this.redis.opsForZSet().reverseRangeWithScores(index, rank, rank + count - 1);
		return (entries != null) ? new ArrayList<>(entries) : List.of();
	}

	private long count(String index) {
		Long count = this.redis.opsForZSet().zCard(index);
		return (count != null) ? count : 0;
	}

	private long removeStale(String index, List<TypedTuple<String>> stale) {
		if (stale.isEmpty()) {
			return 0;
		}
		long removed = removeUnchanged(index, stale);
		List<String> gone = indexAgainIfAlive(stale.stream().map(TypedTuple::getValue).toList());
		if (!gone.isEmpty()) {
			this.goneSessions.accept(gone);
		}
		return removed;
	}

	/** Remove entries whose score has not changed since they were read. */
	private long removeUnchanged(String index, List<TypedTuple<String>> stale) {
		if (stale.isEmpty()) {
			return 0;
		}
		String[] args = new String[stale.size() * 2];
		for (int i = 0; i < stale.size(); i++) {
			args[i * 2] = stale.get(i).getValue();
			args[i * 2 + 1] = Long.toString(stale.get(i).getScore().longValue());
		}
		Long removed = this.redis.execute(REMOVE_STALE, List.of(index), (Object[]) args);
		return (removed != null) ? removed : 0;
	}

	/** One field of the meta hash of each entry's session, {@code null} where it has none. */
	private List<String> fields(List<TypedTuple<String>> entries, String field) {
		List<List<String>> values = fields(entries, List.of(field));
		List<String> result = new ArrayList<>(values.size());
		for (List<String> value : values) {
			result.add(value.get(0));
		}
		return result;
	}

	/** Fields of the meta hashes of the entries' sessions, read with one pipelined batch. */
	private List<List<String>> fields(List<TypedTuple<String>> entries, List<String> fields) {
		byte[][] names = new byte[fields.size()][];
		for (int i = 0; i < names.length; i++) {
			names[i] = bytes(fields.get(i));
		}
		return this.redis.execute((RedisCallback<List<List<String>>>) (connection) -> {
			List<List<String>> result = new ArrayList<>(entries.size());
			Object nativeConnection = connection.getNativeConnection();
			if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands) {
				RedisClusterAsyncCommands<byte[], byte[]> async = cast(commands);
				List<Future<List<KeyValue<byte[], byte[]>>>> futures = new ArrayList<>(entries.size());
				for (TypedTuple<String> entry : entries) {
					futures.add(async.hmget(bytes(this.keys.meta(entry.getValue())), names));
				}
				for (Future<List<KeyValue<byte[], byte[]>>> future : futures) {
					List<String> values = new ArrayList<>(names.length);
					for (KeyValue<byte[], byte[]> value : await(future)) {
						values.add(value.hasValue() ? string(value.getValue()) : null);
					}
					result.add(values);
				}
				return result;
			}
			for (TypedTuple<String> entry : entries) {
				List<byte[]> raw = connection.hashCommands().hMGet(bytes(this.keys.meta(entry.getValue())), names);
				List<String> values = new ArrayList<>(names.length);
				for (int i = 0; i < names.length; i++) {
					byte[] value = (raw != null) ? raw.get(i) : null;
					values.add((value != null) ? string(value) : null);
				}
				result.add(values);
			}
			return result;
		});
	}

	/** The whole meta hashes of sessions, read with one pipelined batch. */
	private List<Map<String, String>> hashes(List<String> sessionIds) {
		if (sessionIds.isEmpty()) {
			return List.of();
		}
		return this.redis.execute((RedisCallback<List<Map<String, String>>>) (connection) -> {
			List<Map<String, String>> result = new ArrayList<>(sessionIds.size());
			Object nativeConnection = connection.getNativeConnection();
			if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands) {
				RedisClusterAsyncCommands<byte[], byte[]> async = cast(commands);
				List<Future<Map<byte[], byte[]>>> futures = new ArrayList<>(sessionIds.size());
				for (String id : sessionIds) {
					futures.add(async.hgetall(bytes(this.keys.meta(id))));
				}
				for (Future<Map<byte[], byte[]>> future : futures) {
					result.add(strings(await(future)));
				}
				return result;
			}
			for (String id : sessionIds) {
				result.add(strings(connection.hashCommands().hGetAll(bytes(this.keys.meta(id)))));
			}
			return result;
		});
	}

	private <T> T await(Future<T> future) {
		return RedisReplies.await(future, this.commandTimeout);
	}

	private void expire(RedisClusterAsyncCommands<byte[], byte[]> async, String key) {
		if (this.timeToLive != null) {
			async.pexpire(bytes(key), indexTimeToLive()).exceptionally(this::logFailure);
		}
	}

	private void expire(RedisConnection connection, String key) {
		if (this.timeToLive != null) {
			connection.keyCommands().pExpire(bytes(key), indexTimeToLive());
		}
	}

	/** An index outlives its newest session's entry by the index resolution. */
	private long indexTimeToLive() {
		return this.timeToLive.toMillis() + this.indexResolutionMillis;
	}

	private <T> @Nullable T logFailure(Throwable ex) {
		logger.warn("Could not update a chat memory index; the session's next write updates it again", ex);
		return null;
	}

	private static Map<String, String> strings(@Nullable Map<byte[], byte[]> raw) {
		Map<String, String> result = new HashMap<>();
		if (raw != null) {
			raw.forEach((key, value) -> result.put(string(key), string(value)));
		}
		return result;
	}

}
