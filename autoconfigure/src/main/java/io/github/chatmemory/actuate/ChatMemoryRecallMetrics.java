package io.github.chatmemory.actuate;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.chatmemory.recall.RecallListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The semantic recall meters: messages indexed, indexing failures, recall latency, and
 * the recall queue's length as the indexer last counted it, so that a scrape never asks
 * the store.
 */
public class ChatMemoryRecallMetrics implements RecallListener {

	/** Counter of messages whose vectors were written. */
	public static final String MESSAGES_INDEXED = "chat.memory.recall.messages.indexed";

	/** Counter of indexing passes that failed. */
	public static final String INDEXING_FAILURES = "chat.memory.recall.indexing.failures";

	/** Gauge of the sessions waiting for indexing, as of the indexer's last pass. */
	public static final String QUEUE_LENGTH = "chat.memory.recall.queue.length";

	/** Timer of recall queries. */
	public static final String RECALL_DURATION = "chat.memory.recall.duration";

	private final Counter indexed;

	private final Counter failures;

	private final Timer recalls;

	private final AtomicLong queueLength = new AtomicLong();

	/**
	 * Create the meters.
	 * @param registry the meter registry
	 */
	public ChatMemoryRecallMetrics(MeterRegistry registry) {
		this.indexed = Counter.builder(MESSAGES_INDEXED)
			.description("Messages whose recall vectors were written")
			.register(registry);
		this.failures = Counter.builder(INDEXING_FAILURES)
			.description("Recall indexing passes that failed")
			.register(registry);
		this.recalls = Timer.builder(RECALL_DURATION).description("Semantic recall queries").register(registry);
		Gauge.builder(QUEUE_LENGTH, this.queueLength, AtomicLong::get)
			.description("Sessions waiting for recall indexing, as of the last indexing pass")
			.register(registry);
	}

	@Override
	public void indexed(int count) {
		this.indexed.increment(count);
	}

	@Override
	public void indexingFailed(Throwable failure) {
		this.failures.increment();
	}

	@Override
	public void queueLength(long length) {
		this.queueLength.set(length);
	}

	@Override
	public void recalled(Duration duration) {
		this.recalls.record(duration);
	}

}
