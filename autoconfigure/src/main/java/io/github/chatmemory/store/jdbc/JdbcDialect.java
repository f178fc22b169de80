package io.github.chatmemory.store.jdbc;

import java.sql.DatabaseMetaData;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The relational databases the JDBC store speaks to, and the few ways their SQL differs.
 */
public enum JdbcDialect {

	/** PostgreSQL 12 and later. */
	POSTGRESQL("postgresql"),

	/** MariaDB 10.3 and later. */
	MARIADB("mariadb"),

	/** MySQL 8 and later. */
	MYSQL("mysql"),

	/** H2 2.x. */
	H2("h2"),

	/** SQLite 3.24 and later. */
	SQLITE("sqlite");

	private final String platform;

	JdbcDialect(String platform) {
		this.platform = platform;
	}

	/**
	 * Tell the dialect of a data source from its metadata.
	 * @param dataSource the data source
	 * @return the dialect
	 * @throws IllegalStateException if the database is not one the store supports
	 */
	public static JdbcDialect detect(DataSource dataSource) {
		String product;
		try {
			product = JdbcUtils.extractDatabaseMetaData(dataSource,
					(DatabaseMetaData metaData) -> metaData.getDatabaseProductName() + " "
							+ metaData.getDatabaseProductVersion());
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("Could not tell the database of the chat memory DataSource", ex);
		}
		String name = product.toLowerCase(Locale.ROOT);
		// MySQL's driver calls MariaDB "MySQL": the version string tells them apart
		if (name.contains("mariadb")) {
			return MARIADB;
		}
		if (name.startsWith("postgresql")) {
			return POSTGRESQL;
		}
		if (name.startsWith("mysql")) {
			return MYSQL;
		}
		if (name.startsWith("h2")) {
			return H2;
		}
		if (name.startsWith("sqlite")) {
			return SQLITE;
		}
		throw new IllegalStateException("The JDBC chat memory store does not support " + product.trim()
				+ "; supported databases: " + Arrays.stream(values())
					.map(JdbcDialect::platform)
					.collect(Collectors.joining(", ")));
	}

	/**
	 * Return the platform name, which names the schema script.
	 * @return the platform, such as {@code postgresql}
	 */
	public String platform() {
		return this.platform;
	}

	/**
	 * The clause that locks the rows a {@code SELECT} reads until the transaction ends;
	 * SQLite locks the whole database on the first write instead.
	 */
	String forUpdate() {
		return (this == SQLITE) ? "" : " FOR UPDATE";
	}

	/**
	 * Whether a write transaction must begin with a write: SQLite upgrades a reading
	 * transaction to a writing one only when no other writer is waiting, failing with
	 * SQLITE_BUSY otherwise, where a transaction that writes first waits its turn.
	 */
	boolean writesFirst() {
		return this == SQLITE;
	}

	/**
	 * Turn {@code INSERT INTO table (...) VALUES (...)} into an insert that does nothing
	 * when the key is taken. PostgreSQL must never see the duplicate-key error inside a
	 * transaction, which it would abort; H2 has no such clause outside its compatibility
	 * modes, and a failed statement leaves its transaction usable, so the caller catches
	 * the duplicate key there.
	 */
	String insertIfAbsent(String insert) {
		return switch (this) {
			case POSTGRESQL, SQLITE -> insert + " ON CONFLICT DO NOTHING";
			case MARIADB, MYSQL -> insert.replaceFirst("^INSERT INTO", "INSERT IGNORE INTO");
			case H2 -> insert;
		};
	}

}
