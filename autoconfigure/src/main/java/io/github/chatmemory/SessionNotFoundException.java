package io.github.chatmemory;

/**
 * Thrown when an operation names a session that does not exist.
 */
public class SessionNotFoundException extends SessionException {

	public SessionNotFoundException(String sessionId) {
		super(sessionId, "Chat session '" + sessionId + "' does not exist");
	}

}
