package io.github.chatmemory.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the in-memory chat memory store.
 */
@ConfigurationProperties("chat-memory.in-memory")
public class ChatMemoryInMemoryProperties {

	/**
	 * Maximum number of sessions kept; past it the session with the oldest activity
	 * is evicted.
	 */
	private int maxSessions = 10_000;

	/**
	 * Maximum number of messages kept per session, oldest trimmed first.
	 */
	private int maxHistory = 10_000;

	/**
	 * Maximum estimated heap taken by all sessions' messages; past it the sessions
	 * with the oldest activity are evicted.
	 */
	private DataSize maxBytes = DataSize.ofMegabytes(256);

	public DataSize getMaxBytes() {
		return this.maxBytes;
	}

	public void setMaxBytes(DataSize maxBytes) {
		this.maxBytes = maxBytes;
	}

	public int getMaxSessions() {
		return this.maxSessions;
	}

	public void setMaxSessions(int maxSessions) {
		this.maxSessions = maxSessions;
	}

	public int getMaxHistory() {
		return this.maxHistory;
	}

	public void setMaxHistory(int maxHistory) {
		this.maxHistory = maxHistory;
	}

}
