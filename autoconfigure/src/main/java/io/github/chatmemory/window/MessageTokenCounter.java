package io.github.chatmemory.window;

import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;

import org.springframework.ai.tokenizer.TokenCountEstimator;

/**
 * Counts the tokens a stored message takes in a prompt: its text, the names and arguments
 * of its tool calls, the names and data of its tool responses, and a fixed overhead for
 * the message's framing. Counts are remembered for recently seen messages, since a
 * conversation's window is counted again on every turn: keyed by the message's identity
 * (session, id, sequence, timestamp and a hash of its content), never by its content,
 * and bounded by the estimated bytes of those keys.
 */
public final class MessageTokenCounter {

	/** Tokens counted for each message's role and framing, as chat APIs add them. */
	public static final int MESSAGE_OVERHEAD = 4;

	/** The default bound on the remembered counts: 4 MB of keys, about 20,000 counts. */
	public static final long DEFAULT_MAX_CACHE_BYTES = 4L * 1024 * 1024;

	private final TokenCountEstimator estimator;

	private final Cache<Key, Integer> counts;

	/**
	 * Create a counter that remembers up to {@link #DEFAULT_MAX_CACHE_BYTES} of counts.
	 * @param estimator Spring AI's token count estimator, such as JTokkit's
	 */
	public MessageTokenCounter(TokenCountEstimator estimator) {
		this(estimator, DEFAULT_MAX_CACHE_BYTES);
	}

	/**
	 * Create a counter.
	 * @param estimator Spring AI's token count estimator, such as JTokkit's
	 * @param maxCacheBytes the most estimated bytes of remembered counts
	 */
	public MessageTokenCounter(TokenCountEstimator estimator, long maxCacheBytes) {
		this.estimator = estimator;
		this.counts = Caffeine.newBuilder()
			.maximumWeight(maxCacheBytes)
			.weigher((Key key, Integer tokens) -> key.weight())
			// evict on the calling thread: no background work, and tests see the bound
			.executor(Runnable::run)
			.build();
	}

	/**
	 * Count the tokens of a message.
	 * @param message the message
	 * @return its tokens, at least {@link #MESSAGE_OVERHEAD}
	 */
	public int count(StoredMessage message) {
		return this.counts.get(Key.of(message), (key) -> estimateTokens(message));
	}

	/**
	 * Count the tokens of a summary sent as a message.
	 * @param summary the summary
	 * @return its tokens, at least {@link #MESSAGE_OVERHEAD}
	 */
	public int count(StoredSummary summary) {
		Key key = new Key(summary.sessionId(), "summary:" + summary.id(), summary.toSequence(), summary.createdAt(),
				summary.text().length(), summary.text().hashCode());
		return this.counts.get(key, (ignored) -> MESSAGE_OVERHEAD + estimate(summary.text()));
	}

	/**
	 * Return the estimated bytes of the remembered counts, after pending evictions.
	 * @return the estimate
	 */
	long cachedBytes() {
		this.counts.cleanUp();
		return this.counts.policy().eviction().orElseThrow().weightedSize().orElse(0);
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

	/**
	 * What identifies a message's token count without holding its content: a session
	 * and message id are reused only when a session is deleted and created again, and
	 * then the sequence, timestamp, content length and hash must all match too.
	 */
	private record Key(String sessionId, String messageId, long sequence, Instant createdAt, int contentLength,
			int contentHash) {

		static Key of(StoredMessage message) {
			return new Key(message.sessionId(), message.id(), message.sequence(), message.createdAt(),
					message.content().length(), message.content().hashCode());
		}

		/** Headers, fields, the two id strings and the timestamp, and the map entry. */
		int weight() {
			return 160 + 2 * (this.sessionId.length() + this.messageId.length());
		}

	}

}
