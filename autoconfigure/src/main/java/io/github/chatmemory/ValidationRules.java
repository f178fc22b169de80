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
 * @param maxMediaBytes the maximum size of one message's media: bytes, plus the characters
 * of media given as URLs
 * @param maxModelMetadataBytes the maximum size of the metadata of a message a model wrote
 * (assistant and tool messages), written as JSON, in UTF-8 bytes: providers put large
 * values there (reasoning, log probabilities), and it is never less than
 * {@code maxMetadataBytes}
 */
public record ValidationRules(Pattern idPattern, int maxContentLength, int maxMetadataBytes, int maxTitleLength,
		int maxPageSize, int maxMessagesPerAppend, int maxImportMessages, long maxMediaBytes,
		int maxModelMetadataBytes) {

	/** The default media limit per message: 1 MB. */
	public static final long DEFAULT_MAX_MEDIA_BYTES = 1024 * 1024;

	/** The default metadata limit of a message a model wrote: 256 KB. */
	public static final int DEFAULT_MAX_MODEL_METADATA_BYTES = 256 * 1024;

	public ValidationRules {
		maxModelMetadataBytes = Math.max(maxModelMetadataBytes, maxMetadataBytes);
	}

	/**
	 * Create rules with the default metadata limit of messages a model wrote.
	 * @param idPattern the pattern every id must match
	 * @param maxContentLength the maximum number of characters of a message's content
	 * @param maxMetadataBytes the maximum size of metadata written as JSON
	 * @param maxTitleLength the maximum number of characters of a session title
	 * @param maxPageSize the maximum number of items one read returns
	 * @param maxMessagesPerAppend the maximum number of messages appended in one call
	 * @param maxImportMessages the maximum number of messages in one imported session
	 * @param maxMediaBytes the maximum size of one message's media
	 */
	public ValidationRules(Pattern idPattern, int maxContentLength, int maxMetadataBytes, int maxTitleLength,
			int maxPageSize, int maxMessagesPerAppend, int maxImportMessages, long maxMediaBytes) {
		this(idPattern, maxContentLength, maxMetadataBytes, maxTitleLength, maxPageSize, maxMessagesPerAppend,
				maxImportMessages, maxMediaBytes, DEFAULT_MAX_MODEL_METADATA_BYTES);
	}

	/**
	 * Create rules with the default media limit.
	 * @param idPattern the pattern every id must match
	 * @param maxContentLength the maximum number of characters of a message's content
	 * @param maxMetadataBytes the maximum size of metadata written as JSON
	 * @param maxTitleLength the maximum number of characters of a session title
	 * @param maxPageSize the maximum number of items one read returns
	 * @param maxMessagesPerAppend the maximum number of messages appended in one call
	 * @param maxImportMessages the maximum number of messages in one imported session
	 */
	public ValidationRules(Pattern idPattern, int maxContentLength, int maxMetadataBytes, int maxTitleLength,
			int maxPageSize, int maxMessagesPerAppend, int maxImportMessages) {
		this(idPattern, maxContentLength, maxMetadataBytes, maxTitleLength, maxPageSize, maxMessagesPerAppend,
				maxImportMessages, DEFAULT_MAX_MEDIA_BYTES);
	}

	/**
	 * Return the metadata limit of a message by its author: larger for what a model
	 * wrote.
	 * @param role the author of the message
	 * @return the limit in UTF-8 bytes of JSON
	 */
	public int maxMetadataBytes(MessageRole role) {
		return (role == MessageRole.ASSISTANT || role == MessageRole.TOOL) ? this.maxModelMetadataBytes
				: this.maxMetadataBytes;
	}

	/**
	 * The default id pattern: 1 to 128 characters, any but those that could break the
	 * Redis key layout or a REST path. Refused: the braces <code>&#123;</code> and
	 * <code>&#125;</code> (an id sits inside the hash tag <code>&#123;s:&lt;id&gt;&#125;</code> of
	 * its keys, and the first closing brace ends the tag),
	 * {@code /} and {@code \} (path separators), {@code %} and {@code ;} (decoded or cut
	 * off by servlet containers and refused by Spring Security's firewall), whitespace,
	 * control and invisible format characters (ids that print alike must be alike), and a
	 * leading {@code .} (the path segments {@code .} and {@code ..}). So Spring AI's
	 * conversation ids such as {@code user:42}, {@code tenant:7:chat} or
	 * {@code test-with:complex@chars#123} are accepted.
	 */
	public static final String DEFAULT_ID_PATTERN = "[^.{}/\\\\%;\\s\\p{Z}\\p{Cc}\\p{Cf}][^{}/\\\\%;\\s\\p{Z}\\p{Cc}\\p{Cf}]{0,127}";

	/**
	 * The default rules.
	 * @return rules with the documented defaults
	 */
	public static ValidationRules defaults() {
		return new ValidationRules(Pattern.compile(DEFAULT_ID_PATTERN), 100_000, 16 * 1024, 200, 1000, 1000, 10_000,
				DEFAULT_MAX_MEDIA_BYTES, DEFAULT_MAX_MODEL_METADATA_BYTES);
	}

}
