package io.github.chatmemory;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A summary of a session's older messages, stored beside them: it stands in for the
 * messages it covers in the context window, and never replaces them in the history.
 * <p>
 * A summary covers the sequences {@code fromSequence} to {@code toSequence} of its
 * session; a summary that extends another covers that one's range and the messages after
 * it, so the latest summary covers the most.
 *
 * @param id the summary's id, unique in its session
 * @param sessionId the session
 * @param text the summary text
 * @param fromSequence the first sequence it covers
 * @param toSequence the last sequence it covers
 * @param toMessageId the id of the message at {@code toSequence} when the summary was
 * made: a summary is only written while that message is still stored under that id
 * @param extendsId the id of the summary this one extends, or {@code null} for the first
 * @param createdAt when it was made
 * @param model the model that made it, or {@code null} if unknown
 * @param tokens the tokens of its text in a prompt
 * @param coveredTokens the tokens of the messages it covers in a prompt
 */
public record StoredSummary(String id, String sessionId, String text, long fromSequence, long toSequence,
		String toMessageId, @Nullable String extendsId, Instant createdAt, @Nullable String model, int tokens,
		long coveredTokens) {

	/**
	 * The most summaries a store keeps per session; past it the oldest go, each extended
	 * by the newer ones.
	 */
	public static final int MAX_PER_SESSION = 100;

	public StoredSummary {
		if (fromSequence < 1 || toSequence < fromSequence) {
			throw new IllegalArgumentException(
					"A summary covers 1 <= from <= to but was " + fromSequence + ".." + toSequence);
		}
	}

	/**
	 * The tokens a prompt saves by sending this summary instead of the messages it covers.
	 * @return the tokens saved, never negative
	 */
	public long tokensSaved() {
		return Math.max(0, this.coveredTokens - this.tokens);
	}

}
