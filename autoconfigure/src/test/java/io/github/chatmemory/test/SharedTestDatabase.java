package io.github.chatmemory.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The database servers of the development machine and CI that JDBC integration tests
 * share (PostgreSQL 15 on port 5432, MariaDB 10.11 on port 3306, database {@code test});
 * a test keeps to a random table prefix of its own and drops only the tables with it.
 */
public enum SharedTestDatabase {

	/** PostgreSQL on 127.0.0.1:5432, trust authentication. */
	POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres",
			"SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"),

	/** MariaDB on 127.0.0.1:3306, root without password. */
	MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root",
			"SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()");

	private final String jdbcUrl;

	private final String username;

	private final String tablesQuery;

	SharedTestDatabase(String jdbcUrl, String username, String tablesQuery) {
		this.jdbcUrl = jdbcUrl;
		this.username = username;
		this.tablesQuery = tablesQuery;
	}

	public String jdbcUrl() {
		return this.jdbcUrl;
	}

	public String username() {
		return this.username;
	}

	/**
	 * A table prefix no other test run uses.
	 * @return a prefix such as {@code cmt_1a2b3c4d_}
	 */
	public static String randomTablePrefix() {
		return "cmt_" + UUID.randomUUID().toString().substring(0, 8) + "_";
	}

	/**
	 * Fail, saying how to provide the server, unless it answers a query.
	 */
	public void requireReachable() {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("SELECT 1");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(this + " is not reachable at " + this.jdbcUrl + " as " + this.username
					+ " (" + ex.getMessage() + "); the JDBC integration tests need it running there", ex);
		}
	}

	/**
	 * Drop every table whose name starts with the prefix, and nothing else.
	 * @param prefix the test's own table prefix, such as one from
	 * {@link #randomTablePrefix()}
	 * @return the tables dropped
	 */
	public List<String> dropTablesWithPrefix(String prefix) {
		if (prefix.length() < 8) {
			throw new IllegalArgumentException("A prefix this short could match other tests' tables: " + prefix);
		}
		List<String> dropped = new ArrayList<>();
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			List<String> tables = new ArrayList<>();
			try (ResultSet result = statement.executeQuery(this.tablesQuery)) {
				while (result.next()) {
					String table = result.getString(1);
					if (table.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
						tables.add(table);
					}
				}
			}
			if (this == MARIADB) {
				// the tables may refer to each other; only this connection skips the checks
				statement.execute("SET foreign_key_checks = 0");
			}
			for (String table : tables) {
				statement.execute("DROP TABLE IF EXISTS " + table + ((this == POSTGRESQL) ? " CASCADE" : ""));
				dropped.add(table);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not drop the tables with prefix " + prefix + " in " + this, ex);
		}
		return dropped;
	}

	private Connection connect() throws SQLException {
		String options = (this == POSTGRESQL) ? "?connectTimeout=5&socketTimeout=30" : "?connectTimeout=5000";
		return DriverManager.getConnection(this.jdbcUrl + options, this.username, "");
	}

}
