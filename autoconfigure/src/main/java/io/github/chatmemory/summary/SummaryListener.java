package io.github.chatmemory.summary;

import java.time.Duration;

import io.github.chatmemory.StoredSummary;

/**
 * Told what becomes of summary runs, for metrics and logs.
 */
public interface SummaryListener {

	/** A listener that does nothing. */
	SummaryListener NONE = new SummaryListener() {
	};

	/**
	 * A summary was stored.
	 * @param summary the summary
	 * @param duration how long the run took
	 */
	default void made(StoredSummary summary, Duration duration) {
	}

	/**
	 * A run failed: the summarizer threw, answered too long, or took too long.
	 * @param sessionId the session
	 * @param duration how long the run took
	 * @param timedOut whether it took longer than the timeout
	 */
	default void failed(String sessionId, Duration duration, boolean timedOut) {
	}

	/**
	 * A run was dropped without a summary.
	 * @param sessionId the session
	 * @param reason why
	 */
	default void dropped(String sessionId, DropReason reason) {
	}

	/**
	 * Why a summary run ended without a summary and without a failure.
	 */
	enum DropReason {

		/**
		 * The session moved on while the summary was made: another summary was stored, or
		 * the messages it covers were cleared or replaced.
		 */
		STALE,

		/** The executor's queue was full. */
		QUEUE_FULL

	}

}
