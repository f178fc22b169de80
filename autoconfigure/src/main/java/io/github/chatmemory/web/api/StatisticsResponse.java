package io.github.chatmemory.web.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.ChatMemoryStatistics;
import org.jspecify.annotations.Nullable;

/**
 * What the memory holds.
 *
 * @param storeType the store type
 * @param sessions the number of sessions
 * @param activeSessions the number of active sessions
 * @param messages the number of messages
 * @param users the number of users with sessions
 * @param lastRetention what the last retention run did
 */
public record StatisticsResponse(@JsonProperty("store_type") String storeType, long sessions,
		@JsonProperty("active_sessions") long activeSessions, long messages, long users,
		@JsonProperty("last_retention") @Nullable Retention lastRetention) {

	/**
	 * Describe statistics.
	 * @param statistics the statistics
	 * @return the response
	 */
	public static StatisticsResponse from(ChatMemoryStatistics statistics) {
		return new StatisticsResponse(statistics.storeType(), statistics.sessions(), statistics.activeSessions(),
				statistics.messages(), statistics.users(),
				(statistics.lastRetention() != null) ? new Retention(statistics.lastRetention().ranAt(),
						statistics.lastRetention().cutoff(), statistics.lastRetention().deletedSessions()) : null);
	}

	/**
	 * A retention run.
	 *
	 * @param ranAt when it ran
	 * @param cutoff sessions inactive since before this were deleted
	 * @param deletedSessions how many it deleted
	 */
		public record Retention(@JsonProperty("ran_at") Instant ranAt, Instant cutoff,
				@JsonProperty("deleted_sessions") long deletedSessions) {
	}

}
