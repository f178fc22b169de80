package io.github.chatmemory.web.api;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /sessions}.
 *
 * @param id the session id, or {@code null} to generate one
 * @param userId the owning user; defaults to the authenticated user
 * @param title the title
 * @param metadata JSON metadata
 */
public record CreateSessionRequest(@Nullable String id, @JsonProperty("user_id") @Nullable String userId,
		@Nullable String title, @Nullable Map<String, Object> metadata) {
}
