package io.github.chatmemory.web.api;

import java.util.List;


/**
 * Messages of a session in ascending sequence order; page on with {@code before} the
 * first sequence or {@code after} the last one.
 *
 * @param messages the messages
 */
public record MessageListResponse(List<MessageResponse> messages) {
}
