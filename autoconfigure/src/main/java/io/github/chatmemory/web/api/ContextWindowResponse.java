package io.github.chatmemory.web.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.window.ContextWindow;
import org.jspecify.annotations.Nullable;

/**
 * The context window of a session and its explanation.
 *
 * @param sessionId the session
 * @param maxMessages the message limit used
 * @param maxTokens the token limit used
 * @param messages the included messages with their tokens, the pinned system message
 * first
 * @param totalTokens the tokens of the window
 * @param sessionMessageCount how many messages the session holds
 * @param leftOut how many messages were left out, by reason
 * @param summary the summary sent after the pinned system message in place of the older
 * messages it covers; absent when the window holds none
 */
public record ContextWindowResponse(@JsonProperty("session_id") String sessionId,
		@JsonProperty("max_messages") @Nullable Integer maxMessages,
		@JsonProperty("max_tokens") @Nullable Integer maxTokens, List<Entry> messages,
		@JsonProperty("total_tokens") long totalTokens, @JsonProperty("session_message_count") long sessionMessageCount,
		@JsonProperty("left_out") Map<String, Long> leftOut,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable WindowSummary summary) {

	/**
	 * Describe a window.
	 * @param window the window
	 * @return the response
	 */
	public static ContextWindowResponse from(ContextWindow window) {
		Map<String, Long> leftOut = new LinkedHashMap<>();
		window.leftOut().forEach((reason, count) -> leftOut.put(reason.name().toLowerCase(Locale.ROOT), count));
		return new ContextWindowResponse(window.sessionId(), window.policy().maxMessages(), window.policy().maxTokens(),
				window.messages()
					.stream()
					.map((entry) -> new Entry(MessageResponse.from(entry.message()), entry.tokens(), entry.pinned()))
					.toList(),
				window.totalTokens(), window.sessionMessageCount(), leftOut,
				(window.summary() != null) ? WindowSummary.from(window.summary()) : null);
	}

	/**
	 * A message in the window.
	 *
	 * @param message the message
	 * @param tokens its tokens
	 * @param pinned whether it is the pinned system message
	 */
	public record Entry(MessageResponse message, int tokens, boolean pinned) {
	}

	/**
	 * The summary in the window: which messages it stands in for and what it saves.
	 *
	 * @param id the summary id, as listed under the session's summaries
	 * @param text the summary text
	 * @param fromSequence the first message sequence it covers
	 * @param toSequence the last message sequence it covers
	 * @param tokens the tokens it counts for in the window
	 * @param tokensSaved the tokens of the messages it covers minus its own, never
	 * negative
	 */
	public record WindowSummary(String id, String text, @JsonProperty("from_sequence") long fromSequence,
			@JsonProperty("to_sequence") long toSequence, int tokens, @JsonProperty("tokens_saved") long tokensSaved) {

		static WindowSummary from(ContextWindow.WindowSummary windowSummary) {
			StoredSummary summary = windowSummary.summary();
			return new WindowSummary(summary.id(), summary.text(), summary.fromSequence(), summary.toSequence(),
					windowSummary.tokens(), windowSummary.tokensSaved());
		}

	}

}
