package io.github.chatmemory;

/**
 * Thrown when a session kept changing while an operation read it in several steps, so
 * that no consistent state of it could be read; trying again usually succeeds.
 */
public class SessionChangedException extends SessionException {

	public SessionChangedException(String sessionId, String message) {
		super(sessionId, message);
	}

}
