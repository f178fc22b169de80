package io.github.chatmemory;

/**
 * Thrown when messages are appended to a deactivated session.
 */
public class SessionInactiveException extends SessionException {

	public SessionInactiveException(String sessionId) {
		super(sessionId, "Chat session '" + sessionId + "' is deactivated and accepts no new messages; activate it first");
	}

}
