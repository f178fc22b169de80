package io.github.chatmemory.springai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.support.MetadataJson;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.ai.chat.messages.Message;

/**
 * Keeps the metadata of messages a model wrote (assistant and tool messages) within their
 * metadata limit ({@code chat-memory.validation.max-model-metadata-size}) by leaving out its
 * largest entries, so that an answer the model has
 * already given is stored rather than lost with a failed request. Messages the
 * application writes (user and system messages) are left as they are, for the manager
 * to refuse before the model is called.
 */
final class ModelMetadataLimit {

	private static final Log logger = LogFactory.getLog(ModelMetadataLimit.class);

	private static final int MAX_LOGGED_KEY_LENGTH = 100;

	private final int maxBytes;

	ModelMetadataLimit(int maxBytes) {
		this.maxBytes = maxBytes;
	}

	/**
	 * Convert Spring AI messages to messages to store, leaving out of the assistant and
	 * tool messages whose metadata exceeds the limit their largest entries.
	 * @param messages the Spring AI messages
	 * @return the messages to store and what was left out
	 */
	Converted toNewMessages(List<Message> messages) {
		List<NewMessage> converted = SpringAiMessages.toNewMessages(messages);
		List<NewMessage> fitted = new ArrayList<>(converted.size());
		Map<String, List<String>> leftOut = new LinkedHashMap<>();
		for (int i = 0; i < converted.size(); i++) {
			NewMessage message = converted.get(i);
			if (message.role() == MessageRole.ASSISTANT || message.role() == MessageRole.TOOL) {
				List<String> keys = new ArrayList<>();
				message = fit(message, keys);
				if (!keys.isEmpty()) {
					leftOut.put("messages[" + i + "] (" + message.role() + ")", keys);
				}
			}
			fitted.add(message);
		}
		return new Converted(fitted, leftOut, this.maxBytes);
	}

	private NewMessage fit(NewMessage message, List<String> leftOut) {
		Map<String, Object> metadata = new LinkedHashMap<>(message.metadata());
		int size = jsonBytes(metadata);
		if (size <= this.maxBytes) {
			return message;
		}
		Map<String, Integer> entrySizes = new LinkedHashMap<>();
		metadata.forEach((key, value) -> {
			if (!SpringAiMessages.TEXT_ABSENT.equals(key) && !SpringAiMessages.JAVA_TYPES.equals(key)) {
				// the entry and the comma that separates it from the next one
				entrySizes.put(key, jsonBytes(Collections.singletonMap(key, value)) - 2 + 1);
			}
		});
		List<String> largestFirst = entrySizes.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
			.map(Map.Entry::getKey)
			.toList();
		for (String key : largestFirst) {
			metadata.remove(key);
			leftOut.add(key);
			// a recorded Java type goes with its entry, and shrinks the JSON by more
			size = forgetJavaType(metadata, key) ? jsonBytes(metadata) : size - entrySizes.get(key);
			if (size <= this.maxBytes) {
				// the estimate leaves out only what shrinks the JSON further: check it
				size = jsonBytes(metadata);
				if (size <= this.maxBytes) {
					break;
				}
			}
		}
		return message.withMetadata(metadata);
	}

	/** Take a left-out entry out of the recorded Java types, if they name it. */
	private static boolean forgetJavaType(Map<String, Object> metadata, String key) {
		if (!(metadata.get(SpringAiMessages.JAVA_TYPES) instanceof Map<?, ?> types) || !types.containsKey(key)) {
			return false;
		}
		Map<Object, Object> remaining = new LinkedHashMap<>(types);
		remaining.remove(key);
		if (remaining.isEmpty()) {
			metadata.remove(SpringAiMessages.JAVA_TYPES);
		}
		else {
			metadata.put(SpringAiMessages.JAVA_TYPES, remaining);
		}
		return true;
	}

	private static int jsonBytes(Map<String, Object> metadata) {
		try {
			return MetadataJson.write(metadata).getBytes(StandardCharsets.UTF_8).length;
		}
		catch (ChatMemoryValidationException ex) {
			// not JSON: nothing to measure here, the manager refuses it with its reason
			return 0;
		}
	}

	/**
	 * Messages to store, and the metadata keys left out of them.
	 *
	 * @param messages the messages to store
	 * @param leftOutKeys the keys left out, by message
	 * @param maxBytes the limit they were fitted in
	 */
	record Converted(List<NewMessage> messages, Map<String, List<String>> leftOutKeys, int maxBytes) {

		/**
		 * Log one warning naming the conversation and the keys left out, never their
		 * values (they may hold anything a provider sends); call it once the messages
		 * are stored.
		 * @param conversationId the conversation id
		 */
		void warnIfLeftOut(String conversationId) {
			if (this.leftOutKeys.isEmpty() || !logger.isWarnEnabled()) {
				return;
			}
			String keys = this.leftOutKeys.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + " " + entry.getValue().stream().map(Converted::printable).toList())
				.collect(Collectors.joining(", "));
			logger.warn("Stored model-written messages of conversation '" + conversationId
					+ "' without their largest metadata entries, which would exceed "
					+ "chat-memory.validation.max-model-metadata-size (" + this.maxBytes + " bytes as JSON): " + keys);
		}

		/** A key as it can be logged: one line, of bounded length. */
		private static String printable(String key) {
			String shortened = (key.length() > MAX_LOGGED_KEY_LENGTH) ? key.substring(0, MAX_LOGGED_KEY_LENGTH) + "..."
					: key;
			return shortened.codePoints()
				.map((c) -> Character.isISOControl(c) ? '?' : c)
				.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
				.toString();
		}

	}

}
