package io.github.chatmemory.web.api;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /sessions/{id}/search}.
 *
 * @param query the text to find
 * @param limit the page size, 20 by default
 * @param page the zero-based page, 0 by default
 */
public record SearchRequest(@Nullable String query, @Nullable Integer limit, @Nullable Integer page) {
}
