package io.github.chatmemory.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the chat memory REST API.
 */
@ConfigurationProperties("chat-memory.web")
public class ChatMemoryWebProperties {

	/**
	 * Whether to expose the chat memory REST API.
	 */
	private boolean enabled;

	/**
	 * Base path of the REST API. Must be below the root: "/" is refused at startup, as
	 * the API's filter and error handling would claim every request of the application.
	 */
	private String basePath = "/api/v1/chat";

	/**
	 * Role (without the ROLE_ prefix) that may see every user's sessions and call
	 * statistics and cleanup, when Spring Security is present.
	 */
	private String adminRole = "CHAT_MEMORY_ADMIN";

	/**
	 * Largest request body of the REST API other than imports (which
	 * chat-memory.transfer.max-import-size limits). Larger bodies get 413 before they
	 * are read. Default: 12 x validation.max-content-length plus 6 x
	 * validation.max-metadata-size, room for JSON escaping, tool data and metadata.
	 */
	private @Nullable DataSize maxRequestSize;

	public @Nullable DataSize getMaxRequestSize() {
		return this.maxRequestSize;
	}

	public void setMaxRequestSize(@Nullable DataSize maxRequestSize) {
		this.maxRequestSize = maxRequestSize;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getBasePath() {
		return this.basePath;
	}

	public void setBasePath(String basePath) {
		this.basePath = basePath;
	}

	public String getAdminRole() {
		return this.adminRole;
	}

	public void setAdminRole(String adminRole) {
		this.adminRole = adminRole;
	}

}
