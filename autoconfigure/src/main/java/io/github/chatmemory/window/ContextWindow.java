package io.github.chatmemory.window;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.StoredMessage;

/**
 * The messages of a session that go to the model, in order, and an account of what was
 * left out and why.
 *
 * @param sessionId the session
 * @param policy the policy the window was built with
 * @param messages the included messages in prompt order, the pinned system message first
 * @param totalTokens the tokens of all included messages
 * @param sessionMessageCount how many messages the session holds
 * @param leftOut how many of the session's messages were left out, by reason
 */
public record ContextWindow(String sessionId, WindowPolicy policy, List<WindowMessage> messages, long totalTokens,
		long sessionMessageCount, Map<LeftOutReason, Long> leftOut) {

	public ContextWindow {
		messages = List.copyOf(messages);
		EnumMap<LeftOutReason, Long> copy = new EnumMap<>(LeftOutReason.class);
		copy.putAll(leftOut);
		leftOut = Collections.unmodifiableMap(copy);
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
