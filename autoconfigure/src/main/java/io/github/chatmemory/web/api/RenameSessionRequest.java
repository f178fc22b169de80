package io.github.chatmemory.web.api;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code PUT /sessions/{id}/title}.
 *
 * @param title the new title
 */
public record RenameSessionRequest(@Nullable String title) {
}
