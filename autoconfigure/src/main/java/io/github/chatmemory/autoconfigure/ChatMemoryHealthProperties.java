package io.github.chatmemory.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code chatMemory} health indicator, beside Boot's own
 * {@code management.health.*} settings.
 */
@ConfigurationProperties("management.health.chatmemory")
public class ChatMemoryHealthProperties {

	/**
	 * Longest a health check waits for the store before reporting it DOWN. Default 2s.
	 */
	private @Nullable Duration timeout;

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * Return the timeout to use: this one, else the deprecated
	 * {@code chat-memory.health.timeout}, else 2 seconds.
	 * @param deprecated the deprecated setting
	 * @return the timeout
	 */
	@SuppressWarnings("deprecation")
	Duration effectiveTimeout(ChatMemoryProperties.Health deprecated) {
		if (this.timeout != null) {
			return this.timeout;
		}
		return (deprecated.getTimeout() != null) ? deprecated.getTimeout() : Duration.ofSeconds(2);
	}

}
