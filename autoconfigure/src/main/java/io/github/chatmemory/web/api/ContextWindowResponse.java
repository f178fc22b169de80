package io.github.chatmemory.web.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
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
 */
public record ContextWindowResponse(@JsonProperty("session_id") String sessionId,
		@JsonProperty("max_messages") @Nullable Integer maxMessages,
		@JsonProperty("max_tokens") @Nullable Integer maxTokens, List<Entry> messages,
		@JsonProperty("total_tokens") long totalTokens, @JsonProperty("session_message_count") long sessionMessageCount,
		@JsonProperty("left_out") Map<String, Long> leftOut) {

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
				window.totalTokens(), window.sessionMessageCount(), leftOut);
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

}
