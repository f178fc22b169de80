package io.github.chatmemory.web.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /sessions/{id}/fork}.
 *
 * @param atMessageId the last message the fork holds
 * @param title the fork's title; the source's when left out
 */
public record ForkSessionRequest(@JsonProperty("at_message_id") @Nullable String atMessageId,
		@Nullable String title) {
}
