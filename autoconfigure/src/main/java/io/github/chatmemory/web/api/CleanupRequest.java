package io.github.chatmemory.web.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /cleanup}.
 *
 * @param olderThanDays delete sessions without activity for more than this many days
 */
public record CleanupRequest(@JsonProperty("older_than_days") @Nullable Integer olderThanDays) {
}
