package io.github.chatmemory.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the Redis chat memory store.
 */
@ConfigurationProperties("chat-memory.redis")
public class ChatMemoryRedisProperties {

	/**
	 * Prefix of every key the store writes.
	 */
	private String keyPrefix = "chat-memory:";

	/**
	 * Sliding time-to-live of a session, refreshed on every write. Unset keeps
	 * sessions until deleted.
	 */
	private @Nullable Duration timeToLive;

	/**
	 * Maximum number of messages kept per session, oldest trimmed first. 0 keeps all.
	 */
	private int maxHistory = 0;

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public @Nullable Duration getTimeToLive() {
		return this.timeToLive;
	}

	public void setTimeToLive(@Nullable Duration timeToLive) {
		this.timeToLive = timeToLive;
	}

	public int getMaxHistory() {
		return this.maxHistory;
	}

	public void setMaxHistory(int maxHistory) {
		this.maxHistory = maxHistory;
	}

}
