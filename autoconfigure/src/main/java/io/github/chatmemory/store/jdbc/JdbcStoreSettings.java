package io.github.chatmemory.store.jdbc;

import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.util.Assert;

/**
 * How the JDBC store names its tables and bounds its work.
 *
 * @param tablePrefix the prefix of every table name, such as {@code chat_memory_}
 * @param dialect the database's dialect
 * @param queryTimeout the longest a statement or a transaction may take
 * @param maxHistory the maximum number of messages kept per session (oldest removed
 * first), or 0 to keep them all, which suits a database
 */
public record JdbcStoreSettings(String tablePrefix, JdbcDialect dialect, Duration queryTimeout, int maxHistory) {

	/** The default table prefix. */
	public static final String DEFAULT_TABLE_PREFIX = "chat_memory_";

	/**
	 * What a table prefix may be: an unquoted identifier in every supported database,
	 * short enough that the longest table and index names stay within their limits.
	 */
	private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,30}");

	public JdbcStoreSettings {
		Assert.notNull(tablePrefix, "tablePrefix must not be null");
		Assert.isTrue(TABLE_PREFIX.matcher(tablePrefix).matches(), () -> "tablePrefix must match "
				+ TABLE_PREFIX.pattern() + " (letters, digits and '_', at most 31) but was '" + tablePrefix + "'");
		Assert.notNull(dialect, "dialect must not be null");
		Assert.notNull(queryTimeout, "queryTimeout must not be null");
		Assert.isTrue(queryTimeout.compareTo(Duration.ZERO) > 0, "queryTimeout must be positive");
		Assert.isTrue(maxHistory >= 0, "maxHistory must not be negative");
	}

	/**
	 * Settings that keep every message.
	 * @param tablePrefix the prefix of every table name
	 * @param dialect the database's dialect
	 * @param queryTimeout the longest a statement or a transaction may take
	 */
	public JdbcStoreSettings(String tablePrefix, JdbcDialect dialect, Duration queryTimeout) {
		this(tablePrefix, dialect, queryTimeout, 0);
	}

	/**
	 * The query timeout in whole seconds, rounded up, as JDBC and Spring's transactions
	 * take it.
	 */
	int timeoutSeconds() {
		long seconds = this.queryTimeout.toSeconds() + ((this.queryTimeout.toNanosPart() > 0) ? 1 : 0);
		return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
	}

	String table(String name) {
		return this.tablePrefix + name;
	}

}
