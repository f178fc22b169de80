package io.github.chatmemory.window;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.chatmemory.MessageRole;
import io.github.chatmemory.StoredMessage;
import org.junit.jupiter.api.Test;

import org.springframework.ai.tokenizer.TokenCountEstimator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MessageTokenCounter}'s memory of counts.
 */
class MessageTokenCounterTests {

	private final AtomicInteger estimates = new AtomicInteger();

	private final TokenCountEstimator estimator = new TokenCountEstimator() {

		@Override
		public int estimate(String text) {
			MessageTokenCounterTests.this.estimates.incrementAndGet();
			return text.length();
		}

		@Override
		public int estimate(org.springframework.ai.content.MediaContent content) {
			return estimate(content.getText());
		}

		@Override
		public int estimate(Iterable<org.springframework.ai.content.MediaContent> messages) {
			int total = 0;
			for (org.springframework.ai.content.MediaContent content : messages) {
				total += estimate(content);
			}
			return total;
		}

	};

	private static StoredMessage message(String sessionId, long sequence, String content) {
		return new StoredMessage("m-" + sequence, sessionId, sequence, MessageRole.USER, content, Map.of(), null,
				List.of(), List.of(), Instant.parse("2026-01-01T00:00:00Z"));
	}

	@Test
	void remembersCountsOfMessagesSeenBefore() {
		MessageTokenCounter counter = new MessageTokenCounter(this.estimator);
		StoredMessage message = message("s", 1, "hello");
		assertThat(counter.count(message)).isEqualTo(MessageTokenCounter.MESSAGE_OVERHEAD + 5);
		assertThat(counter.count(message("s", 1, "hello"))).isEqualTo(MessageTokenCounter.MESSAGE_OVERHEAD + 5);
		assertThat(this.estimates).hasValue(1);
		// same id and sequence, other content (a session deleted and created again)
		assertThat(counter.count(message("s", 1, "hello again"))).isEqualTo(MessageTokenCounter.MESSAGE_OVERHEAD + 11);
	}

	@Test
	void theMemoryIsBoundedByBytesAndHoldsNoContent() {
		long maxBytes = 64 * 1024;
		MessageTokenCounter counter = new MessageTokenCounter(this.estimator, maxBytes);
		String large = "x".repeat(100_000);
		for (int i = 0; i < 5_000; i++) {
			counter.count(message("session", i, large));
		}
		// 5,000 messages of 100,000 characters: the weight counts keys, not contents
		assertThat(counter.cachedBytes()).isPositive().isLessThanOrEqualTo(maxBytes);
	}

}
