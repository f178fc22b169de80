package io.github.chatmemory.web.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.StoredSummary;
import org.jspecify.annotations.Nullable;

/**
 * A stored summary of a session's older messages, as the API shows it.
 *
 * @param id the summary id, unique in its session
 * @param sessionId the session
 * @param text the summary text
 * @param fromSequence the first message sequence it covers
 * @param toSequence the last message sequence it covers
 * @param toMessageId the id of the message at {@code to_sequence}
 * @param extendsId the id of the summary it extends, or {@code null} for the first
 * @param createdAt when it was made
 * @param model the model that made it, or {@code null} if unknown
 * @param tokens the tokens of its text
 * @param coveredTokens the tokens of the messages it covers
 * @param tokensSaved the tokens a prompt saves by sending it instead of the messages it
 * covers
 */
public record SummaryResponse(String id, @JsonProperty("session_id") String sessionId, String text,
		@JsonProperty("from_sequence") long fromSequence, @JsonProperty("to_sequence") long toSequence,
		@JsonProperty("to_message_id") String toMessageId, @JsonProperty("extends_id") @Nullable String extendsId,
		@JsonProperty("created_at") Instant createdAt, @Nullable String model, int tokens,
		@JsonProperty("covered_tokens") long coveredTokens, @JsonProperty("tokens_saved") long tokensSaved) {

	/**
	 * Describe a summary.
	 * @param summary the summary
	 * @return the response
	 */
	public static SummaryResponse from(StoredSummary summary) {
		return new SummaryResponse(summary.id(), summary.sessionId(), summary.text(), summary.fromSequence(),
				summary.toSequence(), summary.toMessageId(), summary.extendsId(), summary.createdAt(), summary.model(),
				summary.tokens(), summary.coveredTokens(), summary.tokensSaved());
	}

}
