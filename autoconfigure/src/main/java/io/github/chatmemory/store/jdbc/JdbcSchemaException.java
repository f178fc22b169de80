package io.github.chatmemory.store.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the chat memory tables are missing, were written by a later release, or a
 * table under the prefix is not the store's.
 */
public class JdbcSchemaException extends IllegalStateException {

	private final @Nullable String script;

	/**
	 * Create an exception.
	 * @param message what is wrong and what to do
	 */
	public JdbcSchemaException(String message) {
		this(message, (String) null);
	}

	/**
	 * Create an exception that names the script that would bring the tables in line.
	 * @param message what is wrong and what to do
	 * @param script the location of the script to run, or {@code null}
	 */
	public JdbcSchemaException(String message, @Nullable String script) {
		super(message);
		this.script = script;
	}

	/**
	 * Create an exception with its cause.
	 * @param message what is wrong and what to do
	 * @param cause the database's error
	 */
	public JdbcSchemaException(String message, Throwable cause) {
		super(message, cause);
		this.script = null;
	}

	/**
	 * Return the script that would bring the tables in line: the schema script for missing
	 * tables, the upgrade script for tables of an earlier version.
	 * @return the script's location, or {@code null} when no script helps
	 */
	public @Nullable String getScript() {
		return this.script;
	}

}
