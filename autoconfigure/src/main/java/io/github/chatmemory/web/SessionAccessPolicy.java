package io.github.chatmemory.web;

import org.jspecify.annotations.Nullable;

/**
 * Who the current request may act for: one user's sessions, or everybody's.
 */
public interface SessionAccessPolicy {

	/**
	 * The user whose sessions alone the current request may see, or {@code null} when it
	 * may see every session.
	 * @return the user id or {@code null}
	 */
	@Nullable String restrictedToUser();

	/**
	 * Check that the current request may run operations over all users, such as
	 * statistics and cleanup.
	 * @throws ChatMemoryAccessDeniedException if it may not
	 */
	void checkAdministrator();

}
