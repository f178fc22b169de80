package io.github.chatmemory.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;

/**
 * What the Redis store's pipelined reads share: waiting for a reply within the command
 * timeout, with the failures the rest of the store throws, and the UTF-8 byte keys and
 * values of the native connection.
 */
final class RedisReplies {

	private RedisReplies() {
	}

	/**
	 * Wait for a reply of the native connection.
	 * @param future the reply
	 * @param timeout the command timeout
	 * @return the reply
	 * @throws QueryTimeoutException if Redis does not answer in time
	 * @throws DataAccessResourceFailureException if the command failed otherwise
	 */
	static <T> T await(Future<T> future, Duration timeout) {
		try {
			return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new DataAccessResourceFailureException("Redis command failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new QueryTimeoutException("Redis did not answer within " + timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DataAccessResourceFailureException("Interrupted while waiting for Redis", ex);
		}
	}

	@SuppressWarnings("unchecked")
	static RedisClusterAsyncCommands<byte[], byte[]> cast(RedisClusterAsyncCommands<?, ?> commands) {
		return (RedisClusterAsyncCommands<byte[], byte[]>) commands;
	}

	static String string(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
