package io.github.chatmemory.web;

/**
 * Thrown when the current request may not run an operation: 401 when it is not
 * authenticated, 403 when it is but lacks the role.
 */
public class ChatMemoryAccessDeniedException extends RuntimeException {

	private final boolean authenticated;

	public ChatMemoryAccessDeniedException(boolean authenticated, String message) {
		super(message);
		this.authenticated = authenticated;
	}

	/**
	 * Whether the request was authenticated.
	 * @return {@code true} for 403, {@code false} for 401
	 */
	public boolean isAuthenticated() {
		return this.authenticated;
	}

}
