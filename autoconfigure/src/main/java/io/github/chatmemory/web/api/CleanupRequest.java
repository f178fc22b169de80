package io.github.chatmemory.web.api;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The body of {@code POST /cleanup}.
 *
 * @param olderThanDays delete sessions without activity for more than this many days
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CleanupRequest(@Nullable Integer olderThanDays) {
}
