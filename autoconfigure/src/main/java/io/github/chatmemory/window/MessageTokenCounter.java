package io.github.chatmemory.window;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;

import org.springframework.ai.tokenizer.TokenCountEstimator;

/**
 * Counts the tokens a stored message takes in a prompt: its text, the names and arguments
 * of its tool calls, the names and data of its tool responses, and a fixed overhead for
 * the message's framing. Counts are remembered for recently seen messages, since a
 * conversation's window is counted again on every turn.
 */
public final class MessageTokenCounter {

	/** Tokens counted for each message's role and framing, as chat APIs add them. */
	public static final int MESSAGE_OVERHEAD = 4;

	/** How many counts are remembered; the memory is emptied when it is full. */
	private static final int CACHE_SIZE = 10_000;

	private final TokenCountEstimator estimator;

	private final Map<StoredMessage, Integer> counts = new ConcurrentHashMap<>();

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
		Integer known = this.counts.get(message);
		if (known != null) {
			return known;
		}
		int tokens = estimateTokens(message);
		if (this.counts.size() >= CACHE_SIZE) {
			this.counts.clear();
		}
		this.counts.put(message, tokens);
		return tokens;
	}

	private int estimateTokens(StoredMessage message) {
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
