package io.github.chatmemory.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the chat memory Java client.
 */
@ConfigurationProperties("chat-memory.client")
public class ChatMemoryClientProperties {

	/**
	 * Base URL of a chat memory REST API, including its base path, such as
	 * http://localhost:8080/api/v1/chat. Setting it auto-configures a
	 * ChatMemoryClient.
	 */
	private @Nullable String baseUrl;

	public @Nullable String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(@Nullable String baseUrl) {
		this.baseUrl = baseUrl;
	}

}
