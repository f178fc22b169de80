package io.github.chatmemory;

/**
 * Thrown when an operation names a session that does not exist.
 */
public class SessionNotFoundException extends ChatMemoryException {

	private final String sessionId;

	public SessionNotFoundException(String sessionId) {
		super("Chat session '" + sessionId + "' does not exist");
		this.sessionId = sessionId;
	}

	public String getSessionId() {
		return this.sessionId;
	}

}
