package io.github.chatmemory.actuate;

import io.github.chatmemory.recall.RecallIndexer;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Reports semantic recall's indexing: the index (vector store type and bean, or the
 * embedded one), the queue length and the last pass's outcome, from what the indexer
 * last recorded, without a round trip. Down after a number of failed passes in a row;
 * a single failure is retried and does not change the status.
 */
public class ChatMemoryRecallHealthIndicator extends AbstractHealthIndicator {

	private final RecallIndexer indexer;

	private final int failuresForDown;

	/**
	 * Create a health indicator.
	 * @param indexer the indexer
	 * @param failuresForDown how many failed passes in a row make the status down
	 */
	public ChatMemoryRecallHealthIndicator(RecallIndexer indexer, int failuresForDown) {
		super("Chat memory recall health check failed");
		this.indexer = indexer;
		this.failuresForDown = failuresForDown;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		RecallIndexer.Status status = this.indexer.getStatus();
		builder.withDetail("index", this.indexer.getIndex().description())
			.withDetail("queueLength", status.queueLength())
			.withDetail("lastPass", status.lastOutcome().name().toLowerCase(java.util.Locale.ROOT))
			.withDetail("consecutiveFailures", status.consecutiveFailures());
		if (status.lastPassAt() != null) {
			builder.withDetail("lastPassAt", status.lastPassAt().toString());
		}
		if (status.lastError() != null) {
			builder.withDetail("lastError", status.lastError());
		}
		if (status.consecutiveFailures() >= this.failuresForDown) {
			builder.down();
		}
		else {
			builder.up();
		}
	}

}
