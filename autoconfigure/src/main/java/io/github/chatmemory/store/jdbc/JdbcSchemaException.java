package io.github.chatmemory.store.jdbc;

/**
 * Thrown when the chat memory tables are missing, were written by a later release, or a
 * table under the prefix is not the store's.
 */
public class JdbcSchemaException extends IllegalStateException {

	/**
	 * Create an exception.
	 * @param message what is wrong and what to do
	 */
	public JdbcSchemaException(String message) {
		super(message);
	}

	/**
	 * Create an exception with its cause.
	 * @param message what is wrong and what to do
	 * @param cause the database's error
	 */
	public JdbcSchemaException(String message, Throwable cause) {
		super(message, cause);
	}

}
