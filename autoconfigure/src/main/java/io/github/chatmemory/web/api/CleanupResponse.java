package io.github.chatmemory.web.api;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What a cleanup did.
 *
 * @param deletedSessions how many sessions were deleted
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CleanupResponse(long deletedSessions) {
}
