package io.github.chatmemory.summary;

import java.time.Duration;

/**
 * When and how much to summarize.
 *
 * @param triggerTokens the tokens of messages left out of the default window and not
 * covered by a summary that start a summary
 * @param maxSummaryTokens the most tokens a summary may take; asked of the summarizer, and
 * a longer answer is refused
 * @param maxMessagesPerRun the most messages one run folds in; a longer backlog takes
 * several runs
 * @param maxTokensPerRun the most tokens of messages one run folds in (at least one
 * message is folded)
 * @param timeout how long one summarizer call may take before its result is dropped
 */
public record SummarySettings(int triggerTokens, int maxSummaryTokens, int maxMessagesPerRun, int maxTokensPerRun,
		Duration timeout) {

	public SummarySettings {
		positive("triggerTokens", triggerTokens);
		positive("maxSummaryTokens", maxSummaryTokens);
		positive("maxMessagesPerRun", maxMessagesPerRun);
		positive("maxTokensPerRun", maxTokensPerRun);
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive but was " + timeout);
		}
	}

	/**
	 * The defaults: a summary once 2,000 tokens are left out and not covered, of at most
	 * 500 tokens, folding at most 200 messages and 16,000 tokens a run, within 60 seconds.
	 * @return the defaults
	 */
	public static SummarySettings defaults() {
		return new SummarySettings(2000, 500, 200, 16_000, Duration.ofSeconds(60));
	}

	private static void positive(String name, int value) {
		if (value < 1) {
			throw new IllegalArgumentException(name + " must be positive but was " + value);
		}
	}

}
