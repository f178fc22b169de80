package io.github.chatmemory;

/**
 * Thrown when a session is created with an id that is already taken.
 */
public class SessionAlreadyExistsException extends SessionException {

	public SessionAlreadyExistsException(String sessionId) {
		super(sessionId, "Chat session '" + sessionId + "' already exists");
	}

}
