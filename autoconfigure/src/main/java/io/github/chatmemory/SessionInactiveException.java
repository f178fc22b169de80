package io.github.chatmemory;

/**
 * Thrown when messages are appended to a deactivated session.
 */
public class SessionInactiveException extends ChatMemoryException {

	private final String sessionId;

	public SessionInactiveException(String sessionId) {
		super("Chat session '" + sessionId + "' is deactivated and accepts no new messages; activate it first");
		this.sessionId = sessionId;
	}

	public String getSessionId() {
		return this.sessionId;
	}

}
