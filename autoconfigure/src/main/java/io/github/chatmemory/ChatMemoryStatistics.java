package io.github.chatmemory;

import org.jspecify.annotations.Nullable;

/**
 * Counts that describe what the memory holds, read from counters and index sizes rather
 * than by scanning messages.
 *
 * @param storeType the store type, such as {@code redis}
 * @param sessions the number of sessions
 * @param activeSessions the number of sessions that accept new messages
 * @param messages the number of stored messages
 * @param users the number of users who own at least one session
 * @param lastRetention what the last retention cleanup did, if one ran
 */
public record ChatMemoryStatistics(String storeType, long sessions, long activeSessions, long messages, long users,
		@Nullable RetentionRun lastRetention) {
}
