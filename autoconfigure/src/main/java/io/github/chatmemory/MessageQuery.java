package io.github.chatmemory;

import org.jspecify.annotations.Nullable;

/**
 * Which messages of a session to read: the newest {@code limit} messages, optionally
 * before a sequence, or the oldest {@code limit} messages after a sequence. Results are
 * always in ascending sequence order.
 *
 * @param before read only messages with a smaller sequence, newest first
 * @param after read only messages with a greater sequence, oldest first
 * @param limit the maximum number of messages
 */
public record MessageQuery(@Nullable Long before, @Nullable Long after, int limit) {

	/**
	 * The newest messages of a session.
	 * @param limit how many
	 * @return the query
	 */
	public static MessageQuery latest(int limit) {
		return new MessageQuery(null, null, limit);
	}

	/**
	 * The newest messages before a sequence.
	 * @param sequence exclusive upper bound
	 * @param limit how many
	 * @return the query
	 */
	public static MessageQuery before(long sequence, int limit) {
		return new MessageQuery(sequence, null, limit);
	}

	/**
	 * The oldest messages after a sequence.
	 * @param sequence exclusive lower bound
	 * @param limit how many
	 * @return the query
	 */
	public static MessageQuery after(long sequence, int limit) {
		return new MessageQuery(null, sequence, limit);
	}

	/**
	 * Whether the query reads forwards from {@link #after()} rather than backwards from
	 * the newest message (or {@link #before()}).
	 * @return {@code true} when reading oldest first
	 */
	public boolean forward() {
		return this.after != null;
	}

}
