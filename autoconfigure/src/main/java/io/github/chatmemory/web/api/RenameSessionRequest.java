package io.github.chatmemory.web.api;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The body of {@code PUT /sessions/{id}/title}.
 *
 * @param title the new title
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RenameSessionRequest(@Nullable String title) {
}
