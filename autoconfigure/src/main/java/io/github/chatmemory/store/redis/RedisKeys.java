package io.github.chatmemory.store.redis;

import java.util.List;

/**
 * The key layout of the Redis store. All keys of one session share the hash tag
 * {@code {s:<id>}} so that a Redis Cluster keeps them in one slot and one script can
 * touch them all. A user's index shares the tag {@code {u:<userId>}}; the index of all
 * sessions, the recall queue and the last retention run have keys of their own. No key is
 * written by every append, so a Cluster spreads appends over its masters (except, with
 * recall on, the recall queue's {@code ZADD NX}, sent without waiting).
 */
final class RedisKeys {

	private final String prefix;

	RedisKeys(String prefix) {
		this.prefix = prefix;
	}

	String meta(String sessionId) {
		return this.prefix + "{s:" + sessionId + "}:meta";
	}

	String messages(String sessionId) {
		return this.prefix + "{s:" + sessionId + "}:msgs";
	}

	String messageIds(String sessionId) {
		return this.prefix + "{s:" + sessionId + "}:ids";
	}

	/** The sessions branched off a session (forks and edits), scored by when each was made. */
	String branches(String sessionId) {
		return this.prefix + "{s:" + sessionId + "}:branches";
	}

	/** The session's summaries, newest first, as JSON. */
	String summaries(String sessionId) {
		return this.prefix + "{s:" + sessionId + "}:sums";
	}

	/**
	 * The session's recall task, while one is queued: in the session's slot, so that the
	 * script of a write queues it atomically, but never expired nor deleted with the session,
	 * whose vectors must go when it goes.
	 */
	String recallTask(String sessionId) {
		return this.prefix + "{s:" + sessionId + "}:rq";
	}

	/**
	 * The keys that one session script receives, in the order the scripts expect: every
	 * script that refreshes a session's time-to-live refreshes them all, and every script
	 * that deletes a session deletes them all.
	 */
	List<String> session(String sessionId) {
		return List.of(meta(sessionId), messages(sessionId), messageIds(sessionId), branches(sessionId),
				summaries(sessionId));
	}

	/**
	 * The keys of {@link #session(String)} followed by the session's recall task: what the
	 * scripts that may queue a recall task receive.
	 */
	List<String> sessionWithRecallTask(String sessionId) {
		return List.of(meta(sessionId), messages(sessionId), messageIds(sessionId), branches(sessionId),
				summaries(sessionId), recallTask(sessionId));
	}

	/** A user's sessions, scored by last activity. */
	String userSessions(String userId) {
		return this.prefix + "{u:" + userId + "}:sessions";
	}

	/** Every session, scored by last activity. */
	String allSessions() {
		return this.prefix + "sessions";
	}

	/** The sessions with a queued recall task, scored by when each task was queued (µs). */
	String recallQueue() {
		return this.prefix + "recall:queue";
	}

	/** What the last retention cleanup did. */
	String retention() {
		return this.prefix + "retention";
	}

	/** Held by the instance running a scheduled retention cleanup. */
	String retentionLock() {
		return this.prefix + "retention:lock";
	}

}
