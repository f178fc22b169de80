package io.github.chatmemory.store.jdbc;

/**
 * Thrown when the chat memory tables are missing or were written by a later release.
 */
public class JdbcSchemaException extends IllegalStateException {

	/**
	 * Create an exception.
	 * @param message what is wrong and what to do
	 */
	public JdbcSchemaException(String message) {
		super(message);
	}

}
