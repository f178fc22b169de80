package io.github.chatmemory.window;

import io.github.chatmemory.ChatMemoryValidationException;
import org.jspecify.annotations.Nullable;

/**
 * How large a context window may be: a number of messages, a number of tokens, or both
 * (at least one). The pinned system message counts against both.
 *
 * @param maxMessages the maximum number of messages, or {@code null} for no message limit
 * @param maxTokens the maximum number of tokens, or {@code null} for no token limit
 * @param startOnUserMessage whether the window, after the pinned system message, must
 * start with a user message (as Spring AI's {@code MessageWindowChatMemory} does since
 * 2.0), or with the tool call in flight at the end of the session when the window holds
 * no user message before it
 * @param includeMedia whether the window's messages come with their media, as a prompt
 * for a multimodal model needs them; without, they are not read from the store and the
 * messages' media are empty (what the window holds is the same, as media count no tokens)
 */
public record WindowPolicy(@Nullable Integer maxMessages, @Nullable Integer maxTokens, boolean startOnUserMessage,
		boolean includeMedia) {

	public WindowPolicy {
		if (maxMessages == null && maxTokens == null) {
			throw new ChatMemoryValidationException("maxMessages, maxTokens", "set at least one of them");
		}
		if (maxMessages != null && maxMessages < 1) {
			throw new ChatMemoryValidationException("maxMessages", "must be at least 1 but was " + maxMessages);
		}
		if (maxTokens != null && maxTokens < 1) {
			throw new ChatMemoryValidationException("maxTokens", "must be at least 1 but was " + maxTokens);
		}
	}

	/**
	 * Create a policy whose window comes with media.
	 * @param maxMessages the maximum number of messages, or {@code null} for no message
	 * limit
	 * @param maxTokens the maximum number of tokens, or {@code null} for no token limit
	 * @param startOnUserMessage whether the window must start with a user message
	 */
	public WindowPolicy(@Nullable Integer maxMessages, @Nullable Integer maxTokens, boolean startOnUserMessage) {
		this(maxMessages, maxTokens, startOnUserMessage, true);
	}

	/**
	 * A policy with only a message limit, starting on a user message.
	 * @param maxMessages the maximum number of messages
	 * @return the policy
	 */
	public static WindowPolicy ofMessages(int maxMessages) {
		return new WindowPolicy(maxMessages, null, true);
	}

	/**
	 * A policy with only a token limit, starting on a user message.
	 * @param maxTokens the maximum number of tokens
	 * @return the policy
	 */
	public static WindowPolicy ofTokens(int maxTokens) {
		return new WindowPolicy(null, maxTokens, true);
	}

	/**
	 * Return a copy with the given message limit.
	 * @param maxMessages the maximum number of messages, or {@code null}
	 * @return the copy
	 */
	public WindowPolicy withMaxMessages(@Nullable Integer maxMessages) {
		return new WindowPolicy(maxMessages, this.maxTokens, this.startOnUserMessage, this.includeMedia);
	}

	/**
	 * Return a copy with the given token limit.
	 * @param maxTokens the maximum number of tokens, or {@code null}
	 * @return the copy
	 */
	public WindowPolicy withMaxTokens(@Nullable Integer maxTokens) {
		return new WindowPolicy(this.maxMessages, maxTokens, this.startOnUserMessage, this.includeMedia);
	}

	/**
	 * Return a copy that starts, or not, on a user message.
	 * @param startOnUserMessage whether to start on a user message
	 * @return the copy
	 */
	public WindowPolicy withStartOnUserMessage(boolean startOnUserMessage) {
		return new WindowPolicy(this.maxMessages, this.maxTokens, startOnUserMessage, this.includeMedia);
	}

	/**
	 * Return a copy whose window leaves media in the store, for callers that show or send
	 * only text.
	 * @return the copy
	 */
	public WindowPolicy withoutMedia() {
		return new WindowPolicy(this.maxMessages, this.maxTokens, this.startOnUserMessage, false);
	}

	int messageLimit() {
		return (this.maxMessages != null) ? this.maxMessages : Integer.MAX_VALUE;
	}

	long tokenLimit() {
		return (this.maxTokens != null) ? this.maxTokens : Long.MAX_VALUE;
	}

}
