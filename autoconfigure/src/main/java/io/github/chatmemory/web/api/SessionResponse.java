package io.github.chatmemory.web.api;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.ChatSession;
import org.jspecify.annotations.Nullable;

/**
 * A session as the API shows it.
 *
 * @param id the session id
 * @param userId the owning user
 * @param title the title
 * @param metadata the metadata
 * @param active whether the session accepts new messages
 * @param createdAt when the session was created
 * @param updatedAt the last activity
 * @param messageCount how many messages the session holds
 * @param version the session's version, which every write moves; its {@code ETag} is
 * this number in quotes
 */
public record SessionResponse(String id, @JsonProperty("user_id") @Nullable String userId, String title,
		Map<String, Object> metadata, boolean active, @JsonProperty("created_at") Instant createdAt,
		@JsonProperty("updated_at") Instant updatedAt, @JsonProperty("message_count") long messageCount,
		long version) {

	/**
	 * Describe a session.
	 * @param session the session
	 * @return the response
	 */
	public static SessionResponse from(ChatSession session) {
		return new SessionResponse(session.id(), session.userId(), session.title(), session.metadata(),
				session.active(), session.createdAt(), session.updatedAt(), session.messageCount(), session.version());
	}

}
