package io.github.chatmemory.store.redis;

import java.util.List;

/**
 * The key layout of the Redis store. All keys of one session share the hash tag
 * {@code {s:<id>}} so that a Redis Cluster keeps them in one slot and one script can
 * touch them all; indexes live in other slots and are maintained as derived data.
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

	/**
	 * The keys that one session script receives, in the order the scripts expect.
	 */
	List<String> session(String sessionId) {
		return List.of(meta(sessionId), messages(sessionId), messageIds(sessionId));
	}

	String userSessions(String userId) {
		return this.prefix + "{u:" + userId + "}:sessions";
	}

	String allSessions() {
		return this.prefix + "sessions";
	}

	/** Deactivated session ids, so statistics count active sessions without a scan. */
	String inactiveSessions() {
		return this.prefix + "sessions:inactive";
	}

	/** User ids that own sessions, scored by their last activity. */
	String users() {
		return this.prefix + "users";
	}

	/** Counters and the last retention run. */
	String statistics() {
		return this.prefix + "stats";
	}

}
