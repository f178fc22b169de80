package io.github.chatmemory;

/**
 * Thrown when a summary cannot be made now: the context window leaves out no message that
 * the latest summary does not cover, a summary of the session is being made already, or
 * the session moved on while it was made.
 */
public class SummaryConflictException extends SessionException {

	public SummaryConflictException(String sessionId, String message) {
		super(sessionId, message);
	}

}
