package io.github.chatmemory.store.redis;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A lock in Redis that lets one instance at a time run a scheduled retention cleanup, or
 * another job named by the lock's name, such as recall indexing:
 * taken with {@code SET key token NX PX lease}, released by a script that deletes the key
 * only while it still holds the taker's token. The lease bounds how long a crashed
 * instance keeps the others waiting.
 */
public class RedisRetentionLock {

	private static final RedisScript<Long> RELEASE = RedisScript
		.of(new ClassPathResource("release-lock.lua", RedisRetentionLock.class), Long.class);

	private final StringRedisTemplate redis;

	private final String key;

	private final Duration lease;

	/**
	 * Create a lock under the key prefix of a Redis store.
	 * @param connectionFactory the connection factory
	 * @param keyPrefix the store's key prefix
	 * @param lease the longest the lock is held if its holder never releases it
	 */
	public RedisRetentionLock(RedisConnectionFactory connectionFactory, String keyPrefix, Duration lease) {
		this(new StringRedisTemplate(connectionFactory), new RedisKeys(keyPrefix).retentionLock(), lease);
	}

	/**
	 * Create a lock of a named job under the key prefix of a Redis store, held in the key
	 * {@code <keyPrefix><name>:lock}.
	 * @param connectionFactory the connection factory
	 * @param keyPrefix the store's key prefix
	 * @param name the job's name, such as {@code recall-indexer}
	 * @param lease the longest the lock is held if its holder never releases it
	 */
	public RedisRetentionLock(RedisConnectionFactory connectionFactory, String keyPrefix, String name,
			Duration lease) {
		this(new StringRedisTemplate(connectionFactory), keyPrefix + name + ":lock", lease);
	}

	private RedisRetentionLock(StringRedisTemplate redis, String key, Duration lease) {
		this.redis = redis;
		this.key = key;
		this.lease = lease;
	}

	/**
	 * Run a task while holding the lock, or not at all if another holder has it.
	 * @param task the task
	 * @return whether the task ran
	 */
	public boolean runExclusively(Runnable task) {
		String token = UUID.randomUUID().toString();
		if (!Boolean.TRUE.equals(this.redis.opsForValue().setIfAbsent(this.key, token, this.lease))) {
			return false;
		}
		try {
			task.run();
			return true;
		}
		finally {
			this.redis.execute(RELEASE, List.of(this.key), token);
		}
	}

	/**
	 * Return the key of the lock.
	 * @return the key
	 */
	public String getKey() {
		return this.key;
	}

}
