package io.github.chatmemory;

/**
 * Thrown when a session is created with an id that is already taken.
 */
public class SessionAlreadyExistsException extends ChatMemoryException {

	private final String sessionId;

	public SessionAlreadyExistsException(String sessionId) {
		super("Chat session '" + sessionId + "' already exists");
		this.sessionId = sessionId;
	}

	public String getSessionId() {
		return this.sessionId;
	}

}
