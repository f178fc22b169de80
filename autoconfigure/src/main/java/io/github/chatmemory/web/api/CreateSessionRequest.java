package io.github.chatmemory.web.api;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The body of {@code POST /sessions}.
 *
 * @param id the session id, or {@code null} to generate one
 * @param userId the owning user; defaults to the authenticated user
 * @param title the title
 * @param metadata JSON metadata
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateSessionRequest(@Nullable String id, @Nullable String userId, @Nullable String title,
		@Nullable Map<String, Object> metadata) {
}
