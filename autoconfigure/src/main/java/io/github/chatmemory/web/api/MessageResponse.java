package io.github.chatmemory.web.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.chatmemory.StoredMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

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
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MessageResponse(String id, String sessionId, long sequence, String role, String content,
		Map<String, Object> metadata, @Nullable String responseTo, List<ToolCallPayload> toolCalls,
		List<ToolResponsePayload> toolResponses, Instant createdAt) {

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
