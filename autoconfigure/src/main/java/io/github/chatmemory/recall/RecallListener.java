package io.github.chatmemory.recall;

import java.time.Duration;

/**
 * Told what recall indexing and recall queries do, for metrics.
 */
public interface RecallListener {

	/** A listener that records nothing. */
	RecallListener NONE = new RecallListener() {
	};

	/**
	 * Messages got their vectors written.
	 * @param count how many
	 */
	default void indexed(int count) {
	}

	/**
	 * An indexing pass failed; its tasks stay queued.
	 * @param failure why
	 */
	default void indexingFailed(Throwable failure) {
	}

	/**
	 * An indexing pass counted the queued tasks.
	 * @param length how many sessions wait for indexing
	 */
	default void queueLength(long length) {
	}

	/**
	 * A recall query answered.
	 * @param duration how long it took
	 */
	default void recalled(Duration duration) {
	}

}
