package io.github.chatmemory.web.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.recall.RecallHit;
import io.github.chatmemory.recall.RecallResult;
import org.jspecify.annotations.Nullable;

/**
 * The messages semantic recall found, most similar first.
 *
 * @param hits the messages found
 */
public record RecallResponse(List<Hit> hits) {

	/**
	 * Describe a recall result.
	 * @param result the result
	 * @return the response
	 */
	public static RecallResponse from(RecallResult result) {
		return new RecallResponse(result.hits().stream().map(Hit::from).toList());
	}

	/**
	 * One message found.
	 *
	 * @param sessionId the session of the message
	 * @param sessionTitle the session's title
	 * @param messageId the message id
	 * @param sequence the message's position in its session
	 * @param role {@code user}, {@code assistant}, {@code system} or {@code tool}
	 * @param score how similar in meaning the message is to the query, higher is closer
	 * @param snippet the message's text, cut to the snippet length
	 * @param createdAt when the message was stored
	 */
	public record Hit(@JsonProperty("session_id") String sessionId,
			@JsonProperty("session_title") @Nullable String sessionTitle,
			@JsonProperty("message_id") String messageId, long sequence, String role, double score, String snippet,
			@JsonProperty("created_at") Instant createdAt) {

		static Hit from(RecallHit hit) {
			return new Hit(hit.sessionId(), hit.sessionTitle(), hit.messageId(), hit.sequence(),
					hit.role().name().toLowerCase(Locale.ROOT), hit.score(), hit.snippet(), hit.createdAt());
		}

	}

}
