package io.github.chatmemory.web.api;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Whether the store answers.
 *
 * @param status {@code UP} or {@code DOWN}
 * @param store the store type
 * @param latencyMillis the round-trip time of the check
 * @param error why the store is down
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HealthResponse(String status, String store, double latencyMillis, @Nullable String error) {
}
