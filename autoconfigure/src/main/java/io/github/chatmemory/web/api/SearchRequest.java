package io.github.chatmemory.web.api;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The body of {@code POST /sessions/{id}/search}.
 *
 * @param query the text to find
 * @param limit the page size, 20 by default
 * @param page the zero-based page, 0 by default
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SearchRequest(@Nullable String query, @Nullable Integer limit, @Nullable Integer page) {
}
