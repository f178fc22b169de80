package io.github.chatmemory.web.api;

import java.util.List;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Messages of a session in ascending sequence order; page on with {@code before} the
 * first sequence or {@code after} the last one.
 *
 * @param messages the messages
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MessageListResponse(List<MessageResponse> messages) {
}
