package io.github.chatmemory;

/**
 * Thrown when a write states the version of the session it expects and the session has
 * moved on: another write came first. Nothing was written; read the session again and
 * decide what to do with the new state.
 */
public class SessionVersionConflictException extends SessionException {

	private final long expectedVersion;

	private final long currentVersion;

	public SessionVersionConflictException(String sessionId, long expectedVersion, long currentVersion) {
		super(sessionId, "Session '" + sessionId + "' is at version " + currentVersion + ", not at the expected version "
				+ expectedVersion);
		this.expectedVersion = expectedVersion;
		this.currentVersion = currentVersion;
	}

	/**
	 * Return the version the write expected.
	 * @return the expected version
	 */
	public long getExpectedVersion() {
		return this.expectedVersion;
	}

	/**
	 * Return the version the session is at.
	 * @return the current version
	 */
	public long getCurrentVersion() {
		return this.currentVersion;
	}

}
