package io.github.chatmemory;

/**
 * Base class of the exceptions about one session, which they name.
 */
public abstract class SessionException extends ChatMemoryException {

	private final String sessionId;

	protected SessionException(String sessionId, String message) {
		super(message);
		this.sessionId = sessionId;
	}

	/**
	 * Return the id of the session the exception is about.
	 * @return the session id
	 */
	public String getSessionId() {
		return this.sessionId;
	}

}
