package io.github.chatmemory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Checks input against {@link ValidationRules}, with messages that name the field and
 * the rule that failed.
 */
final class InputValidator {

	private static final int MAX_QUERY_LENGTH = 200;

	private final ValidationRules rules;

	InputValidator(ValidationRules rules) {
		this.rules = rules;
	}

	String id(String field, @Nullable String value) {
		if (value == null || value.isEmpty()) {
			throw new ChatMemoryValidationException(field, "must not be empty");
		}
		if (!this.rules.idPattern().matcher(value).matches()) {
			throw new ChatMemoryValidationException(field, "must match " + this.rules.idPattern().pattern() + " but was '" + printable(value) + "'");
		}
		return value;
	}

	String title(@Nullable String title) {
		String value = (title != null) ? title : "";
		if (value.length() > this.rules.maxTitleLength()) {
			throw new ChatMemoryValidationException("title", "must be at most " + this.rules.maxTitleLength() + " characters but has " + value.length());
		}
		if (containsControlCharacter(value)) {
			throw new ChatMemoryValidationException("title", "must not contain control characters");
		}
		return value;
	}

	String content(String field, String content) {
		if (content.length() > this.rules.maxContentLength()) {
			throw new ChatMemoryValidationException(field, "must be at most " + this.rules.maxContentLength()
					+ " characters but has " + content.length());
		}
		return content;
	}

	/**
	 * Check tool call arguments and tool response data against the content limit, since
	 * they reach the model as text too.
	 */
	void toolData(String field, List<ToolCall> toolCalls, List<ToolResponse> toolResponses) {
		for (int i = 0; i < toolCalls.size(); i++) {
			content(field + ".toolCalls[" + i + "].arguments", toolCalls.get(i).arguments());
		}
		for (int i = 0; i < toolResponses.size(); i++) {
			content(field + ".toolResponses[" + i + "].responseData", toolResponses.get(i).responseData());
		}
	}

	Map<String, Object> metadata(String field, Map<String, Object> metadata) {
		String json = MetadataJson.write(metadata);
		int bytes = json.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > this.rules.maxMetadataBytes()) {
			throw new ChatMemoryValidationException(field, "must be at most " + this.rules.maxMetadataBytes()
					+ " bytes as JSON but has " + bytes);
		}
		return MetadataJson.read(json);
	}

	int limit(String field, int limit) {
		if (limit < 1 || limit > this.rules.maxPageSize()) {
			throw new ChatMemoryValidationException(field, "must be between 1 and " + this.rules.maxPageSize() + " but was " + limit);
		}
		return limit;
	}

	String query(@Nullable String query) {
		String value = (query != null) ? query.strip() : "";
		if (value.isEmpty()) {
			throw new ChatMemoryValidationException("query", "must not be blank");
		}
		if (value.length() > MAX_QUERY_LENGTH) {
			throw new ChatMemoryValidationException("query", "must be at most " + MAX_QUERY_LENGTH + " characters but has " + value.length());
		}
		return value;
	}

	int page(int page) {
		if (page < 0) {
			throw new ChatMemoryValidationException("page", "must not be negative but was " + page);
		}
		return page;
	}

	void sequence(String field, @Nullable Long sequence) {
		if (sequence != null && sequence < 0) {
			throw new ChatMemoryValidationException(field, "must not be negative but was " + sequence);
		}
	}

	void batchSize(int size) {
		if (size > this.rules.maxMessagesPerAppend()) {
			throw new ChatMemoryValidationException("messages", "at most " + this.rules.maxMessagesPerAppend()
					+ " messages can be appended at once but got " + size);
		}
	}

	private static boolean containsControlCharacter(String value) {
		return value.chars().anyMatch(Character::isISOControl);
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
