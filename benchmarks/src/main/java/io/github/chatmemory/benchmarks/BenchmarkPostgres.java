package io.github.chatmemory.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A private schema of the benchmark PostgreSQL for one system under test: created on
 * start, used as the current schema of every pooled connection, and dropped with
 * everything in it on close, so a run never touches what it did not create. The database
 * is {@code CHAT_MEMORY_BENCH_POSTGRES_URL} (default {@value #DEFAULT_URL}), user
 * {@code CHAT_MEMORY_BENCH_POSTGRES_USER} (default {@code postgres}), password
 * {@code CHAT_MEMORY_BENCH_POSTGRES_PASSWORD} (default none); JMH's forked JVMs inherit
 * the environment.
 */
final class BenchmarkPostgres implements AutoCloseable {

	static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private final String schema;

	private final HikariDataSource dataSource;

	private BenchmarkPostgres(String schema, HikariDataSource dataSource) {
		this.schema = schema;
		this.dataSource = dataSource;
	}

	/**
	 * Create a schema of a random name and a pool of connections that use it.
	 * @return the schema
	 * @throws IllegalStateException if PostgreSQL cannot be reached
	 */
	static BenchmarkPostgres create() {
		// a name PostgreSQL keeps as written, so currentSchema finds it without quoting
		String schema = "bench_" + UUID.randomUUID().toString().replace("-", "");
		execute("CREATE SCHEMA " + schema);
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + schema);
		config.setUsername(user());
		config.setPassword(password());
		config.setMaximumPoolSize(4);
		config.setPoolName(schema);
		try {
			return new BenchmarkPostgres(schema, new HikariDataSource(config));
		}
		catch (RuntimeException ex) {
			execute("DROP SCHEMA " + schema + " CASCADE");
			throw ex;
		}
	}

	/**
	 * Check that the benchmark PostgreSQL answers, before a run spends minutes on what
	 * comes first.
	 * @return the server's version
	 * @throws IllegalStateException naming the database and how to point the run
	 * elsewhere if it does not answer
	 */
	static String version() {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW server_version")) {
			result.next();
			return result.getString(1);
		}
		catch (SQLException ex) {
			throw unreachable(ex);
		}
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	String schema() {
		return this.schema;
	}

	@Override
	public void close() {
		this.dataSource.close();
		execute("DROP SCHEMA " + this.schema + " CASCADE");
	}

	private static void execute(String sql) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw unreachable(ex);
		}
	}

	private static Connection connect() throws SQLException {
		return DriverManager.getConnection(url(), user(), password());
	}

	private static IllegalStateException unreachable(SQLException ex) {
		return new IllegalStateException("The benchmark PostgreSQL at " + url() + " (user " + user()
				+ ") failed: " + ex.getMessage() + "; start it, or set CHAT_MEMORY_BENCH_POSTGRES_URL "
				+ "(and CHAT_MEMORY_BENCH_POSTGRES_USER, CHAT_MEMORY_BENCH_POSTGRES_PASSWORD)", ex);
	}

	static String url() {
		return environment("CHAT_MEMORY_BENCH_POSTGRES_URL", DEFAULT_URL);
	}

	static String user() {
		return environment("CHAT_MEMORY_BENCH_POSTGRES_USER", "postgres");
	}

	private static String password() {
		return environment("CHAT_MEMORY_BENCH_POSTGRES_PASSWORD", "");
	}

	private static String environment(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value.trim() : fallback;
	}

}
