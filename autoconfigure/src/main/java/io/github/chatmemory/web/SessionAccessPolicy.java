package io.github.chatmemory.web;

/**
 * Who the current request may act for: one user's sessions, or everybody's. A request
 * without a user is refused (401), never taken for "everybody".
 */
public interface SessionAccessPolicy {

	/**
	 * Whose sessions the current request may see and change.
	 * @return the access, never {@code null}
	 * @throws ChatMemoryAccessDeniedException (401) if the request is not authenticated
	 */
	SessionAccess currentAccess();

	/**
	 * Check that the current request may run operations over all users, such as
	 * statistics and cleanup.
	 * @throws ChatMemoryAccessDeniedException if it may not
	 */
	void checkAdministrator();

}
