package io.github.chatmemory;

import org.jspecify.annotations.Nullable;

/**
 * Which messages of a session to read: the newest {@code limit} messages, optionally
 * before a sequence, or the oldest {@code limit} messages after a sequence. Results are
 * always in ascending sequence order.
 * <p>
 * A query reads media unless {@link #withoutMedia()} says otherwise: media can be many
 * times larger than the text, so reads that do not return them (such as lists for a UI,
 * search and prompt windows of text-only models) leave them in the store. Whatever writes
 * back what it read must read with media, so that they are never lost.
 *
 * @param before read only messages with a smaller sequence, newest first
 * @param after read only messages with a greater sequence, oldest first
 * @param limit the maximum number of messages
 * @param includeMedia whether messages come with their media; without, their
 * {@link StoredMessage#media() media} are empty
 * @param maxBytes about how many bytes of messages the store may read for this query
 * before it stops short of the limit (always after at least one message), so that a
 * caller with a size budget never holds much more than it; {@code 0} for no such bound.
 * A store may ignore it (one that holds messages in the heap reads no bytes); a result
 * shorter than the limit then does not mean that no more messages follow
 */
public record MessageQuery(@Nullable Long before, @Nullable Long after, int limit, boolean includeMedia,
		long maxBytes) {

	public MessageQuery {
		if (maxBytes < 0) {
			throw new ChatMemoryValidationException("maxBytes", "must not be negative but was " + maxBytes);
		}
	}

	/**
	 * Create a query that reads media and has no byte bound.
	 * @param before read only messages with a smaller sequence, newest first
	 * @param after read only messages with a greater sequence, oldest first
	 * @param limit the maximum number of messages
	 */
	public MessageQuery(@Nullable Long before, @Nullable Long after, int limit) {
		this(before, after, limit, true, 0);
	}

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
	 * Return a copy that reads the messages without their media.
	 * @return the copy
	 */
	public MessageQuery withoutMedia() {
		return withMedia(false);
	}

	/**
	 * Return a copy that reads the messages with or without their media.
	 * @param includeMedia whether messages come with their media
	 * @return the copy
	 */
	public MessageQuery withMedia(boolean includeMedia) {
		return new MessageQuery(this.before, this.after, this.limit, includeMedia, this.maxBytes);
	}

	/**
	 * Return a copy that lets the store stop after about the given bytes of messages.
	 * @param maxBytes the bound, or {@code 0} for none
	 * @return the copy
	 */
	public MessageQuery withMaxBytes(long maxBytes) {
		return new MessageQuery(this.before, this.after, this.limit, this.includeMedia, maxBytes);
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
