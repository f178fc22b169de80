package io.github.chatmemory;

import java.util.regex.Pattern;

/**
 * The limits that {@link ChatMemoryManager} enforces on everything it is given.
 *
 * @param idPattern the pattern every session, user and message id must match
 * @param maxContentLength the maximum number of characters of a message's content
 * @param maxMetadataBytes the maximum size of metadata written as JSON, in UTF-8 bytes
 * @param maxTitleLength the maximum number of characters of a session title
 * @param maxPageSize the maximum number of items one read returns
 * @param maxMessagesPerAppend the maximum number of messages appended in one call
 * @param maxImportMessages the maximum number of messages in one imported session
 */
public record ValidationRules(Pattern idPattern, int maxContentLength, int maxMetadataBytes, int maxTitleLength,
		int maxPageSize, int maxMessagesPerAppend, int maxImportMessages) {

	/** The default id pattern: letters, digits and {@code . _ - @}, 1 to 128 characters. */
	public static final String DEFAULT_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._@-]{0,127}";

	/**
	 * The default rules.
	 * @return rules with the documented defaults
	 */
	public static ValidationRules defaults() {
		return new ValidationRules(Pattern.compile(DEFAULT_ID_PATTERN), 100_000, 16 * 1024, 200, 1000, 1000, 10_000);
	}

}
