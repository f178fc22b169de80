package io.github.chatmemory.window;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import org.jspecify.annotations.Nullable;

/**
 * The messages of a session that go to the model, in order, and an account of what was
 * left out and why. With summaries on, the prompt is the pinned system message, then the
 * session's latest summary, which stands in for the older messages it covers, then the
 * newest messages.
 *
 * @param sessionId the session
 * @param policy the policy the window was built with
 * @param messages the included messages in prompt order, the pinned system message first
 * @param totalTokens the tokens of all included messages and of the summary
 * @param sessionMessageCount how many messages the session holds
 * @param leftOut how many of the session's messages were left out, by reason
 * @param summary the summary sent after the pinned system message, or {@code null}
 * @param latestSummary the session's latest stored summary, also when it did not fit into
 * the window, or {@code null} if it has none or summaries are off
 */
public record ContextWindow(String sessionId, WindowPolicy policy, List<WindowMessage> messages, long totalTokens,
		long sessionMessageCount, Map<LeftOutReason, Long> leftOut, @Nullable WindowSummary summary,
		@Nullable StoredSummary latestSummary) {

	public ContextWindow {
		messages = List.copyOf(messages);
		EnumMap<LeftOutReason, Long> copy = new EnumMap<>(LeftOutReason.class);
		copy.putAll(leftOut);
		leftOut = Collections.unmodifiableMap(copy);
		if (latestSummary == null && summary != null) {
			latestSummary = summary.summary();
		}
	}

	/**
	 * A window holding the given summary, or none, which is the session's latest.
	 * @param sessionId the session
	 * @param policy the policy the window was built with
	 * @param messages the included messages in prompt order
	 * @param totalTokens the tokens of all included messages and of the summary
	 * @param sessionMessageCount how many messages the session holds
	 * @param leftOut how many of the session's messages were left out, by reason
	 * @param summary the summary sent after the pinned system message, or {@code null}
	 */
	public ContextWindow(String sessionId, WindowPolicy policy, List<WindowMessage> messages, long totalTokens,
			long sessionMessageCount, Map<LeftOutReason, Long> leftOut, @Nullable WindowSummary summary) {
		this(sessionId, policy, messages, totalTokens, sessionMessageCount, leftOut, summary, null);
	}

	/**
	 * A window without a summary.
	 * @param sessionId the session
	 * @param policy the policy the window was built with
	 * @param messages the included messages in prompt order
	 * @param totalTokens the tokens of all included messages
	 * @param sessionMessageCount how many messages the session holds
	 * @param leftOut how many of the session's messages were left out, by reason
	 */
	public ContextWindow(String sessionId, WindowPolicy policy, List<WindowMessage> messages, long totalTokens,
			long sessionMessageCount, Map<LeftOutReason, Long> leftOut) {
		this(sessionId, policy, messages, totalTokens, sessionMessageCount, leftOut, null, null);
	}

	/**
	 * The pinned system message of the window, if any.
	 * @return the pinned message, or {@code null}
	 */
	public @Nullable StoredMessage pinnedMessage() {
		return (!this.messages.isEmpty() && this.messages.get(0).pinned()) ? this.messages.get(0).message() : null;
	}

	/**
	 * A summary in a window, with the tokens it counts for there.
	 *
	 * @param summary the stored summary
	 * @param tokens the tokens it counts for in the window
	 */
	public record WindowSummary(StoredSummary summary, int tokens) {

		/**
		 * The tokens the window saves by sending the summary instead of the messages it
		 * covers.
		 * @return the tokens saved, never negative
		 */
		public long tokensSaved() {
			return Math.max(0, this.summary.coveredTokens() - this.tokens);
		}

	}

	/**
	 * The included stored messages in prompt order.
	 * @return the messages
	 */
	public List<StoredMessage> storedMessages() {
		return this.messages.stream().map(WindowMessage::message).toList();
	}

	/**
	 * How many of the session's messages were left out, for every reason.
	 * @return the count
	 */
	public long leftOutCount() {
		return this.leftOut.values().stream().mapToLong(Long::longValue).sum();
	}

}
