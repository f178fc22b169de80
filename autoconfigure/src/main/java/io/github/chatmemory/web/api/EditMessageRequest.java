package io.github.chatmemory.web.api;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /sessions/{id}/messages/{messageId}/edit}.
 *
 * @param content the edited message's new content
 */
public record EditMessageRequest(@Nullable String content) {
}
