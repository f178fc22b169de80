package io.github.chatmemory.web.api;

import io.github.chatmemory.ChatMemoryValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import org.jspecify.annotations.Nullable;

import static io.github.chatmemory.support.InputValidator.required;

/**
 * The body of {@code POST /sessions/{id}/messages}. Chat UIs send either {@code role} or
 * {@code message_type}; {@code ai} means assistant.
 *
 * @param id the message id; makes retries safe, like the {@code Idempotency-Key} header
 * @param role {@code user}, {@code assistant} (or {@code ai}), {@code system} or
 * {@code tool}
 * @param messageType the same as {@code role}, for UIs that send this name
 * @param content the text
 * @param metadata JSON metadata
 * @param responseTo the id of the message this one answers
 * @param toolCalls the tool calls of an assistant message
 * @param toolResponses the tool responses of a tool message
 */
public record AppendMessageRequest(@Nullable String id, @Nullable String role,
		@JsonProperty("message_type") @Nullable String messageType, @Nullable String content,
		@Nullable Map<String, Object> metadata, @JsonProperty("response_to") @Nullable String responseTo,
		@JsonProperty("tool_calls") @Nullable List<ToolCallPayload> toolCalls,
		@JsonProperty("tool_responses") @Nullable List<ToolResponsePayload> toolResponses) {

	/**
	 * Convert to a message to append.
	 * @param idempotencyKey the {@code Idempotency-Key} header, if any
	 * @return the message
	 * @throws IllegalArgumentException naming the field when the request is incomplete or
	 * contradicts itself
	 */
	public NewMessage toNewMessage(@Nullable String idempotencyKey) {
		if (this.role != null && this.messageType != null
				&& MessageRole.fromValue(this.role) != MessageRole.fromValue(this.messageType)) {
			throw new ChatMemoryValidationException("role, message_type", "give one of them, or the same role in both");
		}
		String roleName = (this.role != null) ? this.role : this.messageType;
		MessageRole messageRole = MessageRole.fromValue(required("role", roleName));
		if (idempotencyKey != null && !idempotencyKey.chars().allMatch((c) -> c >= 0x21 && c <= 0x7e)) {
			// header values arrive as ISO-8859-1: anything but visible ASCII would be garbled
			throw new ChatMemoryValidationException("Idempotency-Key", "must be visible ASCII characters");
		}
		if (this.id != null && idempotencyKey != null && !this.id.equals(idempotencyKey)) {
			throw new ChatMemoryValidationException("id", "must equal the Idempotency-Key header when both are given");
		}
		List<ToolCall> calls = new ArrayList<>();
		if (this.toolCalls != null) {
			for (int i = 0; i < this.toolCalls.size(); i++) {
				calls.add(required("tool_calls[" + i + "]", this.toolCalls.get(i))
					.toToolCall("tool_calls[" + i + "]"));
			}
		}
		List<ToolResponse> responses = new ArrayList<>();
		if (this.toolResponses != null) {
			for (int i = 0; i < this.toolResponses.size(); i++) {
				responses.add(required("tool_responses[" + i + "]", this.toolResponses.get(i))
					.toToolResponse("tool_responses[" + i + "]"));
			}
		}
		String content = (this.content != null) ? this.content : "";
		if (content.isEmpty() && calls.isEmpty() && responses.isEmpty()) {
			throw new ChatMemoryValidationException("content", "is required unless the message has tool calls or responses");
		}
		return new NewMessage((this.id != null) ? this.id : idempotencyKey, messageRole, content,
				(this.metadata != null) ? this.metadata : Map.of(), this.responseTo, calls, responses);
	}

}
