package io.github.chatmemory.web.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.StoredMessage;
import org.jspecify.annotations.Nullable;

/**
 * A stored message as the API shows it.
 *
 * @param id the message id
 * @param sessionId the session
 * @param sequence the position in the session
 * @param role {@code user}, {@code assistant}, {@code system} or {@code tool}
 * @param content the text
 * @param metadata the metadata
 * @param responseTo the id of the message this one answers
 * @param toolCalls the tool calls
 * @param toolResponses the tool responses
 * @param createdAt when the message was stored
 */
public record MessageResponse(String id, @JsonProperty("session_id") String sessionId, long sequence, String role,
		String content, Map<String, Object> metadata, @JsonProperty("response_to") @Nullable String responseTo,
		@JsonProperty("tool_calls") List<ToolCallPayload> toolCalls,
		@JsonProperty("tool_responses") List<ToolResponsePayload> toolResponses,
		@JsonProperty("created_at") Instant createdAt) {

	/**
	 * Describe a stored message.
	 * @param message the message
	 * @return the response
	 */
	public static MessageResponse from(StoredMessage message) {
		return new MessageResponse(message.id(), message.sessionId(), message.sequence(),
				message.role().name().toLowerCase(Locale.ROOT), message.content(), message.metadata(),
				message.responseTo(), message.toolCalls().stream().map(ToolCallPayload::from).toList(),
				message.toolResponses().stream().map(ToolResponsePayload::from).toList(), message.createdAt());
	}

}
