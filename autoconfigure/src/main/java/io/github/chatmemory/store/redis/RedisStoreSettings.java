package io.github.chatmemory.store.redis;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How the Redis store names and bounds its data.
 *
 * @param keyPrefix the prefix of every key, such as {@code chat-memory:}
 * @param timeToLive the sliding time-to-live of a session, refreshed on every write, or
 * {@code null} to keep sessions until deleted
 * @param maxHistory the maximum number of messages kept per session (oldest trimmed
 * first), or 0 for no limit
 */
public record RedisStoreSettings(String keyPrefix, @Nullable Duration timeToLive, int maxHistory) {

	/**
	 * Settings with the given key prefix, no time-to-live and no history limit.
	 * @param keyPrefix the key prefix
	 * @return the settings
	 */
	public static RedisStoreSettings withPrefix(String keyPrefix) {
		return new RedisStoreSettings(keyPrefix, null, 0);
	}

}
