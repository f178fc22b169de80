package io.github.chatmemory.springai;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.support.MetadataJson;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.window.ContextWindow;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.messages.AbstractMessage;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.MimeType;

/**
 * Converts between Spring AI messages and stored messages without losing tool calls,
 * tool responses, media or metadata. A message read back {@code equals} the message
 * written: the stored id, sequence and time stay out of it.
 */
public final class SpringAiMessages {

	/**
	 * The metadata key that records an assistant message without text ({@code null}, as
	 * models give tool-call messages), since the store keeps text as a string; it is
	 * taken out again when the message is read, so that it reads back equal.
	 */
	public static final String TEXT_ABSENT = "springAiTextAbsent";

	/**
	 * The metadata key that records the Java types of metadata values that JSON would
	 * change ({@code Long}, {@code Float}, {@code Short}, {@code Byte} and enum values, as
	 * model providers put them: OpenAI's {@code index} and streamed {@code finishReason}),
	 * so that a message reads back equal; it is taken out again when the message is read.
	 */
	public static final String JAVA_TYPES = "springAiJavaTypes";

	/** Metadata key, on the system message that brings a summary, naming the summary. */
	public static final String SUMMARY_ID = "chatMemorySummaryId";

	private SpringAiMessages() {
	}

	/**
	 * Convert a Spring AI message to a message to store, with no id: the manager
	 * generates one, or a replacement finds the stored message it repeats.
	 * @param message the Spring AI message
	 * @return the message to store
	 * @throws IllegalArgumentException if the message is {@code null}
	 */
	public static NewMessage toNewMessage(Message message) {
		Assert.notNull(message, "messages cannot contain null elements");
		Map<String, Object> metadata = new LinkedHashMap<>(message.getMetadata());
		metadata.remove(AbstractMessage.MESSAGE_TYPE);
		String text = (message.getText() != null) ? message.getText() : "";
		if (message.getText() == null && message.getMessageType() == MessageType.ASSISTANT) {
			metadata.put(TEXT_ABSENT, true);
		}
		return switch (message.getMessageType()) {
			case USER -> message(MessageRole.USER, text, metadata, List.of(), List.of(),
					media(((UserMessage) message).getMedia()));
			case SYSTEM -> message(MessageRole.SYSTEM, text, metadata, List.of(), List.of(), List.of());
			case ASSISTANT -> message(MessageRole.ASSISTANT, text, metadata,
					((AssistantMessage) message).getToolCalls()
						.stream()
						.map((call) -> new ToolCall(call.id(), call.type(), call.name(), call.arguments()))
						.toList(),
					List.of(), media(((AssistantMessage) message).getMedia()));
			case TOOL -> message(MessageRole.TOOL, text, metadata, List.of(),
					((ToolResponseMessage) message).getResponses()
						.stream()
						.map((response) -> new ToolResponse(response.id(), response.name(), response.responseData()))
						.toList(),
					List.of());
		};
	}

	private static NewMessage message(MessageRole role, String text, Map<String, Object> metadata,
			List<ToolCall> toolCalls, List<ToolResponse> toolResponses, List<MessageMedia> media) {
		return new NewMessage(null, role, text, jsonValues(withJavaTypes(metadata)), null, toolCalls, toolResponses,
				media);
	}

	/**
	 * Record the Java types that JSON would not give back, and store enum values by name.
	 */
	private static Map<String, Object> withJavaTypes(Map<String, Object> metadata) {
		Map<String, String> types = new LinkedHashMap<>();
		Map<String, Object> converted = new LinkedHashMap<>(metadata);
		converted.remove(JAVA_TYPES);
		metadata.forEach((key, value) -> {
			if (value instanceof Long) {
				types.put(key, "long");
			}
			else if (value instanceof Float) {
				types.put(key, "float");
			}
			else if (value instanceof Short) {
				types.put(key, "short");
			}
			else if (value instanceof Byte) {
				types.put(key, "byte");
			}
			else if (value instanceof Enum<?> constant) {
				types.put(key, "enum:" + constant.getDeclaringClass().getName());
				converted.put(key, constant.name());
			}
		});
		if (!types.isEmpty()) {
			converted.put(JAVA_TYPES, types);
		}
		return converted;
	}

	/**
	 * Give metadata values back their recorded Java types; a value whose type cannot be
	 * restored (an enum class that is not there) stays as JSON gave it.
	 */
	private static Map<String, Object> withoutJavaTypes(Map<String, Object> metadata) {
		if (!(metadata.remove(JAVA_TYPES) instanceof Map<?, ?> types)) {
			return metadata;
		}
		types.forEach((key, type) -> {
			Object value = metadata.get(key);
			if (key instanceof String name && type instanceof String code && value != null) {
				Object typed = typed(code, value);
				if (typed != null) {
					metadata.put(name, typed);
				}
			}
		});
		return metadata;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static @Nullable Object typed(String code, Object value) {
		if (value instanceof Number number) {
			return switch (code) {
				case "long" -> number.longValue();
				case "float" -> number.floatValue();
				case "short" -> number.shortValue();
				case "byte" -> number.byteValue();
				default -> null;
			};
		}
		if (code.startsWith("enum:") && value instanceof String name) {
			try {
				// loaded without initialization, and used only if it is an enum
				Class<?> type = ClassUtils.forName(code.substring("enum:".length()),
						SpringAiMessages.class.getClassLoader());
				return type.isEnum() ? Enum.valueOf((Class<? extends Enum>) type, name) : null;
			}
			catch (ClassNotFoundException | LinkageError | IllegalArgumentException ex) {
				return null;
			}
		}
		return null;
	}

	/**
	 * Keep media as Spring AI holds them: bytes as bytes, and a URI, URL or text as its
	 * string form (which is what {@code Media.builder().data(URI)} keeps too).
	 */
	private static List<MessageMedia> media(List<Media> media) {
		List<MessageMedia> converted = new ArrayList<>(media.size());
		for (Media medium : media) {
			Object data = medium.getData();
			converted.add((data instanceof byte[] bytes)
					? new MessageMedia(medium.getMimeType().toString(), medium.getId(), medium.getName(), null, bytes)
					: new MessageMedia(medium.getMimeType().toString(), medium.getId(), medium.getName(),
							String.valueOf(data), null));
		}
		return converted;
	}

	private static List<Media> toMedia(List<MessageMedia> media) {
		List<Media> converted = new ArrayList<>(media.size());
		for (MessageMedia medium : media) {
			Media.Builder builder = Media.builder().mimeType(MimeType.valueOf(medium.mimeType())).name(medium.name());
			if (medium.id() != null) {
				builder.id(medium.id());
			}
			byte[] data = medium.data();
			converted.add(((data != null) ? builder.data(data) : builder.data(medium.url())).build());
		}
		return converted;
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
		Map<String, Object> metadata = withoutJavaTypes(new LinkedHashMap<>(message.metadata()));
		boolean textAbsent = Boolean.TRUE.equals(metadata.remove(TEXT_ABSENT));
		return switch (message.role()) {
			case USER -> UserMessage.builder()
				.text(message.content())
				.metadata(metadata)
				.media(toMedia(message.media()))
				.build();
			case SYSTEM -> SystemMessage.builder().text(message.content()).metadata(metadata).build();
			case ASSISTANT -> AssistantMessage.builder()
				.content(textAbsent ? null : message.content())
				.properties(metadata)
				.toolCalls(message.toolCalls()
					.stream()
					.map((call) -> new AssistantMessage.ToolCall(call.id(), call.type(), call.name(), call.arguments()))
					.toList())
				.media(toMedia(message.media()))
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
		Assert.notNull(messages, "messages cannot be null");
		return messages.stream().map(SpringAiMessages::toNewMessage).toList();
	}

	/**
	 * Convert a context window to Spring AI messages. Its summary, if any, is joined to
	 * the pinned system message (providers that take one system message get one), or,
	 * when the window pins none, is a user message of its own before the newest messages,
	 * so that the application's system prompt stays first (see README, "Summaries").
	 * @param window the window
	 * @return the Spring AI messages in prompt order
	 */
	public static List<Message> toMessages(ContextWindow window) {
		List<Message> messages = new ArrayList<>(toMessages(window.storedMessages()));
		ContextWindow.WindowSummary summary = window.summary();
		if (summary == null) {
			return messages;
		}
		String text = summaryText(summary.summary());
		Map<String, Object> metadata = new LinkedHashMap<>();
		StoredMessage pinned = window.pinnedMessage();
		if (pinned != null) {
			Message system = messages.get(0);
			metadata.putAll(system.getMetadata());
			metadata.put(SUMMARY_ID, summary.summary().id());
			messages.set(0, SystemMessage.builder().text(system.getText() + "\n\n" + text).metadata(metadata).build());
		}
		else {
			// not a system message: Spring AI's MessageChatMemoryAdvisor moves only the first
			// system message of memory + prompt to the front, so one from memory would keep the
			// application's system prompt in the middle, and in a tool loop the memory would no
			// longer be found in the prompt and be sent twice
			metadata.put(SUMMARY_ID, summary.summary().id());
			messages.add(0, UserMessage.builder().text(text).metadata(metadata).build());
		}
		return messages;
	}

	/**
	 * The text that brings a summary to the model.
	 * @param summary the summary
	 * @return the text
	 */
	public static String summaryText(StoredSummary summary) {
		return "Summary of the earlier conversation:\n" + summary.text();
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
