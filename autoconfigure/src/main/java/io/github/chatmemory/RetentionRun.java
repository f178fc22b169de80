package io.github.chatmemory;

import java.time.Instant;

/**
 * What one retention cleanup did.
 *
 * @param ranAt when it ran
 * @param cutoff sessions without activity since this instant were deleted
 * @param deletedSessions how many sessions it deleted
 */
public record RetentionRun(Instant ranAt, Instant cutoff, long deletedSessions) {
}
