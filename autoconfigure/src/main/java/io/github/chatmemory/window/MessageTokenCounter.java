package io.github.chatmemory.window;

import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;

import org.springframework.ai.tokenizer.TokenCountEstimator;

/**
 * Counts the tokens a stored message takes in a prompt: its text, the names and arguments
 * of its tool calls, the names and data of its tool responses, and a fixed overhead for
 * the message's framing.
 */
public final class MessageTokenCounter {

	/** Tokens counted for each message's role and framing, as chat APIs add them. */
	public static final int MESSAGE_OVERHEAD = 4;

	private final TokenCountEstimator estimator;

	/**
	 * Create a counter.
	 * @param estimator Spring AI's token count estimator, such as JTokkit's
	 */
	public MessageTokenCounter(TokenCountEstimator estimator) {
		this.estimator = estimator;
	}

	/**
	 * Count the tokens of a message.
	 * @param message the message
	 * @return its tokens, at least {@link #MESSAGE_OVERHEAD}
	 */
	public int count(StoredMessage message) {
		int tokens = MESSAGE_OVERHEAD + estimate(message.content());
		for (ToolCall call : message.toolCalls()) {
			tokens += estimate(call.name()) + estimate(call.arguments());
		}
		for (ToolResponse response : message.toolResponses()) {
			tokens += estimate(response.name()) + estimate(response.responseData());
		}
		return tokens;
	}

	private int estimate(String text) {
		return text.isEmpty() ? 0 : this.estimator.estimate(text);
	}

}
