package io.github.chatmemory.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.github.chatmemory.store.RecallTask;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisZSetCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static io.github.chatmemory.store.redis.RedisReplies.bytes;
import static io.github.chatmemory.store.redis.RedisReplies.cast;
import static io.github.chatmemory.store.redis.RedisReplies.string;

/**
 * The Redis store's recall queue. The truth of a session's task is its hash in the
 * session's slot ({@link RedisKeys#recallTask}), written by the script of the write that
 * needs it; the queue that orders tasks across slots is a sorted set
 * ({@link RedisKeys#recallQueue}) of session ids scored by when each task was queued,
 * derived data written right after the script, as the session indexes are:
 * <ul>
 * <li>{@code ZADD NX} after every script that queued a task or extended one, sent without
 * waiting on Lettuce's shared connection, so that an append stays at one awaited round
 * trip, and so that an entry lost to a crash or a lost reply comes back with the session's
 * next write;</li>
 * <li>a removal ({@code ZREM}) is followed by a look at the task, and the entry is put
 * back if a write queued a task again meanwhile;</li>
 * <li>a crash between a script and its {@code ZADD} leaves a task that the queue does not
 * list: {@link #repair()} finds tasks with {@code SCAN} and lists them again, at startup
 * and before each retention run.</li>
 * </ul>
 */
final class RedisRecallQueue {

	private static final Log logger = LogFactory.getLog(RedisRecallQueue.class);

	/** How many tasks or sessions one step of a walk handles. */
	private static final int BATCH = 200;

	/** The shortest time between two repairs of one instance, as for the session indexes. */
	private static final long MIN_REPAIR_INTERVAL_MILLIS = 60_000;

	private static final byte[][] TASK_FIELDS = { bytes("stamp"), bytes("from"), bytes("rebuild"), bytes("queued") };

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final RedisSessionScripts scripts;

	private final Clock clock;

	private final Duration commandTimeout;

	private final boolean asyncWrites;

	private final AtomicLong lastRepair = new AtomicLong(Long.MIN_VALUE / 2);

	RedisRecallQueue(StringRedisTemplate redis, RedisKeys keys, RedisSessionScripts scripts, Clock clock,
			Duration commandTimeout, boolean asyncWrites) {
		this.redis = redis;
		this.keys = keys;
		this.scripts = scripts;
		this.clock = clock;
		this.commandTimeout = commandTimeout;
		this.asyncWrites = asyncWrites;
	}

	/**
	 * List a task that a session's script queued or extended, on the given connection: with
	 * Lettuce's shared connection without waiting for the reply; a lost entry comes back
	 * with the session's next write or the next repair.
	 */
	void list(RedisConnection connection, String sessionId, long queued) {
		Object nativeConnection = this.asyncWrites ? connection.getNativeConnection() : null;
		if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands) {
			cast(commands).zadd(bytes(this.keys.recallQueue()), ZAddArgs.Builder.nx(), queued, bytes(sessionId))
				.exceptionally((ex) -> {
					logger.warn("Could not list a recall task; the session's next write or the next index repair "
							+ "lists it", ex);
					return null;
				});
			return;
		}
		connection.zSetCommands()
			.zAdd(bytes(this.keys.recallQueue()), queued, bytes(sessionId), RedisZSetCommands.ZAddArgs.empty().nx());
	}

	/** List a task that a session's script queued. */
	void list(String sessionId, long queued) {
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			list(connection, sessionId, queued);
			return null;
		});
	}

	/** Queue a rebuild of a session's vectors and list it. */
	void queueRebuild(String sessionId) {
		Long queued = this.scripts.queueRecallRebuild(sessionId);
		if (queued != null) {
			list(sessionId, queued);
		}
	}

	/**
	 * Queue a rebuild of every session that exists, found by their meta hashes with
	 * {@code SCAN} rather than through the derived index of all sessions, in batches.
	 * @return how many sessions were queued (one found twice by a scan that met a rehash
	 * counts twice)
	 */
	long queueRebuildOfAllSessions() {
		return this.redis.execute((RedisCallback<Long>) (connection) -> new RedisSessionKeyScan(BATCH)
			.forEachBatch(connection, this.keys::meta, (ids) -> ids.forEach(this::queueRebuild)));
	}

	/**
	 * Read the oldest tasks: the queue's first entries, then each one's task in one
	 * pipelined batch; entries whose task is gone are removed and the read goes on, a
	 * bounded number of batches.
	 */
	List<RecallTask> find(int limit) {
		if (limit <= 0) {
			// a range to rank -1 would be the whole queue
			return List.of();
		}
		List<RecallTask> tasks = new ArrayList<>(Math.min(limit, BATCH));
		long rank = 0;
		for (int round = 0; round < 10 && tasks.size() < limit; round++) {
			int count = Math.min(BATCH, limit - tasks.size());
			Set<String> range = this.redis.opsForZSet().range(this.keys.recallQueue(), rank, rank + count - 1);
			if (range == null || range.isEmpty()) {
				break;
			}
			List<String> ids = new ArrayList<>(range);
			List<List<String>> values = tasks(ids);
			List<String> gone = new ArrayList<>();
			for (int i = 0; i < ids.size(); i++) {
				List<String> task = values.get(i);
				if (task.get(0) == null) {
					gone.add(ids.get(i));
				}
				else {
					tasks.add(new RecallTask(ids.get(i), Long.parseLong(task.get(0)), Long.parseLong(task.get(1)),
							"1".equals(task.get(2))));
				}
			}
			rank += ids.size() - unlist(gone);
			if (ids.size() < count) {
				break;
			}
		}
		return tasks;
	}

	/** Record an indexer's progress, and take the session off the queue when its task is gone. */
	boolean complete(RecallTask task, long indexedThroughSequence, boolean finished) {
		boolean gone = this.scripts.completeRecallTask(task.sessionId(), task.stamp(), indexedThroughSequence,
				finished);
		if (gone) {
			unlist(List.of(task.sessionId()));
		}
		return gone;
	}

	long count() {
		Long count = this.redis.opsForZSet().zCard(this.keys.recallQueue());
		return (count != null) ? count : 0;
	}

	/**
	 * List every task again, found with {@code SCAN}, at most once a minute unless forced:
	 * the path that closes the gap of listing a task after its script, a crash in between.
	 * @param force whether to repair even if this instance repaired less than a minute ago
	 * @return how many tasks were found
	 */
	long repair(boolean force) {
		long now = this.clock.millis();
		long last = this.lastRepair.get();
		if (!force && (now - last < MIN_REPAIR_INTERVAL_MILLIS && now >= last)
				|| !this.lastRepair.compareAndSet(last, now)) {
			return 0;
		}
		try {
			return this.redis.execute((RedisCallback<Long>) (connection) -> new RedisSessionKeyScan(BATCH)
				.forEachBatch(connection, this.keys::recallTask, this::listAgain));
		}
		catch (RuntimeException ex) {
			// a failed repair must not hold back the next one
			this.lastRepair.compareAndSet(now, last);
			throw ex;
		}
	}

	private void listAgain(List<String> ids) {
		List<List<String>> values = tasks(ids);
		for (int i = 0; i < ids.size(); i++) {
			String queued = values.get(i).get(3);
			if (queued != null) {
				list(ids.get(i), Long.parseLong(queued));
			}
		}
	}

	/**
	 * Take sessions off the queue, then put back those that a write queued a task for
	 * again between the look that found their task gone and the removal.
	 * @return how many entries were removed for good
	 */
	private long unlist(List<String> sessionIds) {
		if (sessionIds.isEmpty()) {
			return 0;
		}
		this.redis.opsForZSet().remove(this.keys.recallQueue(), sessionIds.toArray());
		List<List<String>> values = tasks(sessionIds);
		long removed = 0;
		for (int i = 0; i < sessionIds.size(); i++) {
			String queued = values.get(i).get(3);
			if (queued != null) {
				list(sessionIds.get(i), Long.parseLong(queued));
			}
			else {
				removed++;
			}
		}
		return removed;
	}

	/** The stamp, start, rebuild flag and queue time of each session's task, {@code null}s where it has none. */
	private List<List<String>> tasks(List<String> sessionIds) {
		return this.redis.execute((RedisCallback<List<List<String>>>) (connection) -> {
			List<List<String>> result = new ArrayList<>(sessionIds.size());
			Object nativeConnection = connection.getNativeConnection();
			if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands) {
				RedisClusterAsyncCommands<byte[], byte[]> async = cast(commands);
				List<Future<List<KeyValue<byte[], byte[]>>>> futures = new ArrayList<>(sessionIds.size());
				for (String id : sessionIds) {
					futures.add(async.hmget(bytes(this.keys.recallTask(id)), TASK_FIELDS));
				}
				for (Future<List<KeyValue<byte[], byte[]>>> future : futures) {
					List<String> values = new ArrayList<>(TASK_FIELDS.length);
					for (KeyValue<byte[], byte[]> value : await(future)) {
						values.add(value.hasValue() ? string(value.getValue()) : null);
					}
					result.add(values);
				}
				return result;
			}
			for (String id : sessionIds) {
				List<byte[]> raw = connection.hashCommands().hMGet(bytes(this.keys.recallTask(id)), TASK_FIELDS);
				List<String> values = new ArrayList<>(TASK_FIELDS.length);
				for (int i = 0; i < TASK_FIELDS.length; i++) {
					byte[] value = (raw != null) ? raw.get(i) : null;
					values.add((value != null) ? string(value) : null);
				}
				result.add(values);
			}
			return result;
		});
	}

	private <T> T await(Future<T> future) {
		return RedisReplies.await(future, this.commandTimeout);
	}

}
