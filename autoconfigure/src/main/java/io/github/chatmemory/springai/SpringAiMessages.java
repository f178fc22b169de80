package io.github.chatmemory.springai;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.MetadataJson;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;

import org.springframework.ai.chat.messages.AbstractMessage;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * Converts between Spring AI messages and stored messages without losing tool calls,
 * tool responses or metadata. A message read from the store carries its id in the
 * metadata key {@value #MESSAGE_ID}, so that writing it back is idempotent.
 */
public final class SpringAiMessages {

	/** The metadata key that carries the stored message id. */
	public static final String MESSAGE_ID = "chatMemoryMessageId";

	private SpringAiMessages() {
	}

	/**
	 * Convert a Spring AI message to a message to store. Media are not stored.
	 * @param message the Spring AI message
	 * @return the message to store
	 */
	public static NewMessage toNewMessage(Message message) {
		Map<String, Object> metadata = new LinkedHashMap<>(message.getMetadata());
		Object id = metadata.remove(MESSAGE_ID);
		metadata.remove(AbstractMessage.MESSAGE_TYPE);
		String text = (message.getText() != null) ? message.getText() : "";
		return switch (message.getMessageType()) {
			case USER -> message(id, MessageRole.USER, text, metadata, List.of(), List.of());
			case SYSTEM -> message(id, MessageRole.SYSTEM, text, metadata, List.of(), List.of());
			case ASSISTANT -> message(id, MessageRole.ASSISTANT, text, metadata,
					((AssistantMessage) message).getToolCalls()
						.stream()
						.map((call) -> new ToolCall(call.id(), call.type(), call.name(), call.arguments()))
						.toList(),
					List.of());
			case TOOL -> message(id, MessageRole.TOOL, text, metadata, List.of(),
					((ToolResponseMessage) message).getResponses()
						.stream()
						.map((response) -> new ToolResponse(response.id(), response.name(), response.responseData()))
						.toList());
		};
	}

	private static NewMessage message(Object id, MessageRole role, String text, Map<String, Object> metadata,
			List<ToolCall> toolCalls, List<ToolResponse> toolResponses) {
		return new NewMessage((id instanceof String string) ? string : null, role, text, jsonValues(metadata), null,
				toolCalls, toolResponses);
	}

	/**
	 * Keep metadata storable: model providers may put objects in it that are not JSON
	 * values, and those are stored as their string form rather than failing the chat.
	 * Normalizing the values is left to the manager, which validates metadata anyway.
	 */
	private static Map<String, Object> jsonValues(Map<String, Object> metadata) {
		if (metadata.isEmpty() || isJson(metadata)) {
			return metadata;
		}
		Map<String, Object> converted = new LinkedHashMap<>();
		metadata.forEach((key, value) -> converted.put(key,
				isJson(Collections.singletonMap(key, value)) ? value : String.valueOf(value)));
		return converted;
	}

	private static boolean isJson(Map<String, Object> metadata) {
		try {
			MetadataJson.write(metadata);
			return true;
		}
		catch (ChatMemoryValidationException ex) {
			return false;
		}
	}

	/**
	 * Convert a stored message to a Spring AI message.
	 * @param message the stored message
	 * @return the Spring AI message
	 */
	public static Message toMessage(StoredMessage message) {
		Map<String, Object> metadata = new LinkedHashMap<>(message.metadata());
		metadata.put(MESSAGE_ID, message.id());
		return switch (message.role()) {
			case USER -> UserMessage.builder().text(message.content()).metadata(metadata).build();
			case SYSTEM -> SystemMessage.builder().text(message.content()).metadata(metadata).build();
			case ASSISTANT -> AssistantMessage.builder()
				.content(message.content())
				.properties(metadata)
				.toolCalls(message.toolCalls()
					.stream()
					.map((call) -> new AssistantMessage.ToolCall(call.id(), call.type(), call.name(), call.arguments()))
					.toList())
				.build();
			case TOOL -> ToolResponseMessage.builder()
				.responses(message.toolResponses()
					.stream()
					.map((response) -> new ToolResponseMessage.ToolResponse(response.id(), response.name(),
							response.responseData()))
					.toList())
				.metadata(metadata)
				.build();
		};
	}

	/**
	 * Convert Spring AI messages to messages to store.
	 * @param messages the Spring AI messages
	 * @return the messages to store
	 */
	public static List<NewMessage> toNewMessages(List<Message> messages) {
		return messages.stream().map(SpringAiMessages::toNewMessage).toList();
	}

	/**
	 * Convert stored messages to Spring AI messages.
	 * @param messages the stored messages
	 * @return the Spring AI messages
	 */
	public static List<Message> toMessages(List<StoredMessage> messages) {
		return messages.stream().map(SpringAiMessages::toMessage).toList();
	}

}
