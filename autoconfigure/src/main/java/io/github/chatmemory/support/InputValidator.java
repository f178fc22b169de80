package io.github.chatmemory.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import io.github.chatmemory.ValidationRules;
import org.jspecify.annotations.Nullable;

import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;

/**
 * Checks input against {@link ValidationRules}, with messages that name the field and
 * the rule that failed. Internal to chat memory: public only for its other packages, not
 * an API to depend on.
 */
public final class InputValidator {

	private static final int MAX_QUERY_LENGTH = 200;

	private final ValidationRules rules;

	public InputValidator(ValidationRules rules) {
		this.rules = rules;
	}

	/**
	 * Return a value that must be given, or refuse its absence naming the field.
	 * @param <T> the value type
	 * @param field the field as the caller spells it
	 * @param value the value
	 * @return the value
	 * @throws ChatMemoryValidationException if the value is {@code null}
	 */
	public static <T> T required(String field, @Nullable T value) {
		if (value == null) {
			throw new ChatMemoryValidationException(field, "is required");
		}
		return value;
	}

	public String id(String field, @Nullable String value) {
		if (value == null || value.isEmpty()) {
			throw new ChatMemoryValidationException(field, "must not be empty");
		}
		if (!this.rules.idPattern().matcher(value).matches()) {
			throw new ChatMemoryValidationException(field, "must match " + this.rules.idPattern().pattern() + " but was '" + printable(value) + "'");
		}
		// whatever pattern is configured: braces would break the Redis Cluster hash tag of
		// the key layout, and these would break REST paths
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '{' || c == '}' || c == '/' || c == '\\' || c == '%' || c == ';' || Character.isISOControl(c)) {
				throw new ChatMemoryValidationException(field,
						"must not contain '{', '}', '/', '\\', '%', ';' or control characters but was '" + printable(value)
								+ "'");
			}
		}
		// the default pattern rules this out, a configured one may not
		return text(field, value);
	}

	public String title(@Nullable String title) {
		return title("title", title);
	}

	public String title(String field, @Nullable String title) {
		String value = (title != null) ? title : "";
		if (value.length() > this.rules.maxTitleLength()) {
			throw new ChatMemoryValidationException(field, "must be at most " + this.rules.maxTitleLength() + " characters but has " + value.length());
		}
		for (int i = 0; i < value.length(); i++) {
			if (Character.isISOControl(value.charAt(i))) {
				throw new ChatMemoryValidationException(field, "must not contain control characters");
			}
		}
		return text(field, value);
	}

	public String content(String field, String content) {
		if (content.length() > this.rules.maxContentLength()) {
			throw new ChatMemoryValidationException(field, "must be at most " + this.rules.maxContentLength()
					+ " characters but has " + content.length());
		}
		return text(field, content);
	}

	/**
	 * Check tool call arguments and tool response data against the content limit, since
	 * they reach the model as text too, and every text of them for valid UTF-16.
	 */
	public void toolData(String field, List<ToolCall> toolCalls, List<ToolResponse> toolResponses) {
		for (int i = 0; i < toolCalls.size(); i++) {
			String call = field + ".toolCalls[" + i + "]";
			ToolCall toolCall = toolCalls.get(i);
			text(call + ".id", toolCall.id());
			text(call + ".type", toolCall.type());
			text(call + ".name", toolCall.name());
			content(call + ".arguments", toolCall.arguments());
		}
		for (int i = 0; i < toolResponses.size(); i++) {
			String response = field + ".toolResponses[" + i + "]";
			ToolResponse toolResponse = toolResponses.get(i);
			text(response + ".id", toolResponse.id());
			text(response + ".name", toolResponse.name());
			content(response + ".responseData", toolResponse.responseData());
		}
	}

	/**
	 * Check a message's media against the media limit, all of them together, and their
	 * texts for valid UTF-16. Media only come with user and assistant messages, as in
	 * Spring AI.
	 */
	public void media(String field, MessageRole role, List<MessageMedia> media) {
		if (media.isEmpty()) {
			return;
		}
		if (role != MessageRole.USER && role != MessageRole.ASSISTANT) {
			throw new ChatMemoryValidationException(field + ".media", "only user and assistant messages carry media");
		}
		long size = 0;
		for (int i = 0; i < media.size(); i++) {
			String item = field + ".media[" + i + "]";
			MessageMedia medium = media.get(i);
			text(item + ".mimeType", medium.mimeType());
			try {
				// read back on every window: a type that does not parse would break them all
				MimeType.valueOf(medium.mimeType());
			}
			catch (InvalidMimeTypeException ex) {
				throw new ChatMemoryValidationException(item + ".mimeType",
						"must be a MIME type such as image/png but was '" + printable(medium.mimeType()) + "'", ex);
			}
			text(item + ".name", medium.name());
			if (medium.id() != null) {
				text(item + ".id", medium.id());
			}
			if (medium.url() != null) {
				text(item + ".url", medium.url());
			}
			size += medium.size();
		}
		if (size > this.rules.maxMediaBytes()) {
			throw new ChatMemoryValidationException(field + ".media",
					"must be at most " + this.rules.maxMediaBytes() + " bytes but has " + size);
		}
	}

	public Map<String, Object> metadata(String field, Map<String, Object> metadata) {
		return metadata(field, metadata, this.rules.maxMetadataBytes(), "chat-memory.validation.max-metadata-size");
	}

	/**
	 * Check and normalize a message's metadata against the limit of its author: a model's
	 * messages (assistant, tool) may carry more.
	 */
	public Map<String, Object> messageMetadata(String field, MessageRole role, Map<String, Object> metadata) {
		return (role == MessageRole.ASSISTANT || role == MessageRole.TOOL)
				? metadata(field, metadata, this.rules.maxModelMetadataBytes(),
						"chat-memory.validation.max-model-metadata-size")
				: metadata(field, metadata);
	}

	private Map<String, Object> metadata(String field, Map<String, Object> metadata, int maxBytes, String property) {
		String json;
		try {
			json = MetadataJson.write(metadata);
		}
		catch (ChatMemoryValidationException ex) {
			throw new ChatMemoryValidationException(field, ex.getRule(), ex);
		}
		int bytes = json.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > maxBytes) {
			throw new ChatMemoryValidationException(field,
					"must be at most " + maxBytes + " bytes as JSON (" + property + ") but has " + bytes);
		}
		Map<String, Object> normalized = MetadataJson.read(json);
		// walked after normalizing, so only plain JSON values remain, whatever the caller gave
		jsonText(field, normalized);
		return normalized;
	}

	/**
	 * Reject text that is not valid UTF-16: a lone surrogate survives in memory but
	 * becomes {@code ?} once encoded as UTF-8, so stores would disagree on it.
	 */
	public String text(String field, String value) {
		int index = loneSurrogate(value);
		if (index >= 0) {
			throw new ChatMemoryValidationException(field, "must be valid UTF-16 text (lone surrogate at index " + index + ")");
		}
		return value;
	}

	private static int loneSurrogate(String value) {
		for (int i = 0, length = value.length(); i < length; i++) {
			char c = value.charAt(i);
			if (Character.isSurrogate(c)) {
				if (!Character.isHighSurrogate(c) || i + 1 == length || !Character.isLowSurrogate(value.charAt(i + 1))) {
					return i;
				}
				i++;
			}
		}
		return -1;
	}

	private void jsonText(String field, @Nullable Object value) {
		if (value instanceof String string) {
			text(field, string);
		}
		else if (value instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				String key = (String) entry.getKey();
				int index = loneSurrogate(key);
				if (index >= 0) {
					throw new ChatMemoryValidationException(field,
							"keys must be valid UTF-16 text (lone surrogate at index " + index + " of a key)");
				}
				jsonText(field + "." + key, entry.getValue());
			}
		}
		else if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				jsonText(field + "[" + i + "]", list.get(i));
			}
		}
	}

	public int limit(String field, int limit) {
		if (limit < 1 || limit > this.rules.maxPageSize()) {
			throw new ChatMemoryValidationException(field, "must be between 1 and " + this.rules.maxPageSize() + " but was " + limit);
		}
		return limit;
	}

	public String query(@Nullable String query) {
		String value = (query != null) ? query.strip() : "";
		if (value.isEmpty()) {
			throw new ChatMemoryValidationException("query", "must not be blank");
		}
		// characters as a person (and a JSON schema's maxLength) counts them: code points
		int characters = value.codePointCount(0, value.length());
		if (characters > MAX_QUERY_LENGTH) {
			throw new ChatMemoryValidationException("query", "must be at most " + MAX_QUERY_LENGTH + " characters but has " + characters);
		}
		return value;
	}

	public int page(int page) {
		if (page < 0) {
			throw new ChatMemoryValidationException("page", "must not be negative but was " + page);
		}
		return page;
	}

	public void sequence(String field, @Nullable Long sequence) {
		if (sequence != null && sequence < 0) {
			throw new ChatMemoryValidationException(field, "must not be negative but was " + sequence);
		}
	}

	public void batchSize(int size) {
		if (size > this.rules.maxMessagesPerAppend()) {
			throw new ChatMemoryValidationException("messages", "at most " + this.rules.maxMessagesPerAppend()
					+ " messages can be appended at once but got " + size);
		}
	}

	private static String printable(String value) {
		String shortened = (value.length() > 64) ? value.substring(0, 64) + "..." : value;
		StringBuilder builder = new StringBuilder();
		shortened.codePoints()
			.forEach((codePoint) -> builder.append(Character.isISOControl(codePoint)
					? String.format("\\u%04x", codePoint) : new String(Character.toChars(codePoint))));
		return builder.toString();
	}

}
