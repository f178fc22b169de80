package io.github.chatmemory.web.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Whether the store answers.
 *
 * @param status {@code UP} or {@code DOWN}
 * @param store the store type
 * @param latencyMillis the round-trip time of the check
 * @param error why the store is down
 */
public record HealthResponse(String status, String store, @JsonProperty("latency_millis") double latencyMillis,
		@Nullable String error) {
}
