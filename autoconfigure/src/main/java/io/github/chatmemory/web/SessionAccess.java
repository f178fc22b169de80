package io.github.chatmemory.web;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Whose sessions the current request may act on: every session, or one user's own. There
 * is no value for "nobody": a request without a user is refused before it gets one.
 */
public sealed interface SessionAccess permits SessionAccess.AllSessions, SessionAccess.OwnSessions {

	/**
	 * Access to every session, for administrators and the explicitly open policy.
	 * @return the access
	 */
	static SessionAccess allSessions() {
		return AllSessions.INSTANCE;
	}

	/**
	 * Access to the sessions of one user.
	 * @param userId the user
	 * @return the access
	 */
	static SessionAccess ownSessionsOf(String userId) {
		return new OwnSessions(userId);
	}

	/**
	 * Whether a session owned by the given user may be seen.
	 * @param ownerUserId the owner, {@code null} for a session without one
	 * @return whether it may be seen
	 */
	boolean maySee(@Nullable String ownerUserId);

	/**
	 * Access to every session.
	 */
	final class AllSessions implements SessionAccess {

		private static final AllSessions INSTANCE = new AllSessions();

		private AllSessions() {
		}

		@Override
		public boolean maySee(@Nullable String ownerUserId) {
			return true;
		}

		@Override
		public String toString() {
			return "all sessions";
		}

	}

	/**
	 * Access to the sessions of one user only.
	 *
	 * @param userId the user
	 */
	record OwnSessions(String userId) implements SessionAccess {

		public OwnSessions {
			Assert.hasText(userId, "userId must not be empty");
		}

		@Override
		public boolean maySee(@Nullable String ownerUserId) {
			return this.userId.equals(ownerUserId);
		}

	}

}
