package io.github.chatmemory.web.api;

import java.time.Instant;

import io.github.chatmemory.ChatMemoryStatistics;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

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
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatisticsResponse(String storeType, long sessions, long activeSessions, long messages, long users,
		@Nullable Retention lastRetention) {

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
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	public record Retention(Instant ranAt, Instant cutoff, long deletedSessions) {
	}

}
