package io.github.chatmemory.web.api;

import com.fasterxml.jackson.annotation.JsonProperty;


/**
 * What a cleanup did.
 *
 * @param deletedSessions how many sessions were deleted
 */
public record CleanupResponse(@JsonProperty("deleted_sessions") long deletedSessions) {
}
