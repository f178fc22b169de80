package io.github.chatmemory.sample;

import io.github.chatmemory.web.ChatMemoryProblemHandler;

import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers the assistant's errors as the chat memory API answers its own: RFC 9457 problem
 * details, 400 naming the field for bad input, 503 with {@code Retry-After} when the store
 * is down, never a bare 500.
 */
@RestControllerAdvice(assignableTypes = AssistantController.class)
class AssistantProblemHandler extends ChatMemoryProblemHandler {

}
