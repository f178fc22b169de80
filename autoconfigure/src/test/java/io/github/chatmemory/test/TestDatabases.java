package io.github.chatmemory.test;

import java.io.File;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.chatmemory.store.jdbc.JdbcDialect;
import io.github.chatmemory.store.jdbc.JdbcSchema;
import io.github.chatmemory.store.jdbc.JdbcStoreSettings;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The real databases that JDBC tests use, one pooled {@code DataSource} each, shared by
 * the tests of a JVM: PostgreSQL and MariaDB servers (on the addresses below, or the URLs
 * in {@code CHAT_MEMORY_TEST_POSTGRES_URL} and {@code CHAT_MEMORY_TEST_MARIADB_URL}), and
 * H2 and SQLite in memory and in files under {@code target/}. A server that cannot be
 * reached fails the test and says so: a database test never passes without its
 * database. Tests keep apart by a random table prefix each and drop only their own
 * tables.
 */
public enum TestDatabases {

	/** PostgreSQL 15 on 127.0.0.1:5432, trust authentication, database {@code test}. */
	POSTGRESQL(JdbcDialect.POSTGRESQL, "CHAT_MEMORY_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test",
			"postgres", 8),

	/** MariaDB 10.11 on 127.0.0.1:3306, user root without a password, database {@code test}. */
	MARIADB(JdbcDialect.MARIADB, "CHAT_MEMORY_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test", "root", 8),

	/** H2 in memory, kept for the life of the JVM. */
	H2_MEMORY(JdbcDialect.H2, null, "jdbc:h2:mem:chat-memory-tests;DB_CLOSE_DELAY=-1", "sa", 8),

	/** H2 in a file under {@code target/}. */
	H2_FILE(JdbcDialect.H2, null, "jdbc:h2:file:./target/jdbc-tests/h2-" + UUID.randomUUID(), "sa", 8),

	/**
	 * SQLite in memory: one connection, which the pool hands to one thread at a time, as
	 * an in-memory SQLite database lives and dies with its connection.
	 */
	SQLITE_MEMORY(JdbcDialect.SQLITE, null, "jdbc:sqlite::memory:", null, 1),

	/**
	 * SQLite in a file under {@code target/}, in WAL mode (readers never wait for the
	 * writer) with a busy timeout that lets eight writers queue, as an application with
	 * concurrent writers would set it.
	 */
	SQLITE_FILE(JdbcDialect.SQLITE, null,
			"jdbc:sqlite:target/jdbc-tests/sqlite-" + UUID.randomUUID() + ".db?journal_mode=WAL&busy_timeout=30000",
			null, 4);

	private static final List<String> TABLES = List.of("message", "summary", "branch", "lease", "store_info",
			"session", "recall_task");

	private static final Map<TestDatabases, HikariDataSource> dataSources = new EnumMap<>(TestDatabases.class);

	private final JdbcDialect dialect;

	private final String urlVariable;

	private final String defaultUrl;

	private final String user;

	private final int poolSize;

	TestDatabases(JdbcDialect dialect, String urlVariable, String defaultUrl, String user, int poolSize) {
		this.dialect = dialect;
		this.urlVariable = urlVariable;
		this.defaultUrl = defaultUrl;
		this.user = user;
		this.poolSize = poolSize;
	}

	/**
	 * Return the dialect of this database.
	 * @return the dialect
	 */
	public JdbcDialect dialect() {
		return this.dialect;
	}

	/**
	 * Return the JDBC URL the tests use.
	 * @return the URL
	 */
	public String url() {
		String url = (this.urlVariable != null) ? System.getenv(this.urlVariable) : null;
		return (url != null && !url.isBlank()) ? url : this.defaultUrl;
	}

	/**
	 * Return the user the tests connect as.
	 * @return the user, or {@code null} for a database without users
	 */
	public String user() {
		return this.user;
	}

	/**
	 * Return the pooled data source shared by the tests of this JVM, connecting on first
	 * use.
	 * @return the data source
	 * @throws IllegalStateException if the database cannot be reached, saying how to
	 * provide it
	 */
	public synchronized DataSource dataSource() {
		HikariDataSource dataSource = dataSources.get(this);
		if (dataSource == null) {
			dataSource = createDataSource(this.poolSize);
			dataSources.put(this, dataSource);
			Runtime.getRuntime().addShutdownHook(new Thread(dataSource::close));
		}
		return dataSource;
	}

	/**
	 * Create a pooled data source of its own, which the caller closes.
	 * @param poolSize the largest number of connections
	 * @return the data source
	 */
	public HikariDataSource createDataSource(int poolSize) {
		new File("target/jdbc-tests").mkdirs();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url());
		if (this.user != null) {
			config.setUsername(this.user);
		}
		config.setMaximumPoolSize(poolSize);
		config.setMinimumIdle(Math.min(poolSize, 1));
		config.setConnectionTimeout(10_000);
		config.setPoolName("chat-memory-test-" + name().toLowerCase());
		if (this == SQLITE_MEMORY) {
			// the database lives as long as the connection: never replace it
			config.setMaxLifetime(0);
			config.setIdleTimeout(0);
		}
		HikariDataSource dataSource;
		try {
			dataSource = new HikariDataSource(config);
			try (Connection connection = dataSource.getConnection()) {
				connection.isValid(5);
			}
		}
		catch (RuntimeException | SQLException ex) {
			throw new IllegalStateException("The JDBC tests need " + this + " at " + url() + " but could not connect ("
					+ ex.getMessage() + ")" + ((this.urlVariable != null)
							? ": start it, or point " + this.urlVariable + " at one" : ""),
					ex);
		}
		return dataSource;
	}

	/**
	 * Create the chat memory tables under a new random prefix.
	 * @return the tables, which the caller drops
	 */
	public Tables createTables() {
		return createTables(dataSource());
	}

	/**
	 * Create the chat memory tables under a new random prefix in a given data source of
	 * this database.
	 * @param dataSource the data source
	 * @return the tables, which the caller drops
	 */
	public Tables createTables(DataSource dataSource) {
		Tables tables = new Tables(this, dataSource, randomPrefix());
		new JdbcSchema(dataSource, tables.settings(0)).create();
		return tables;
	}

	/**
	 * Return a table prefix no other test uses.
	 * @return the prefix
	 */
	public static String randomPrefix() {
		return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "_";
	}

	/**
	 * Drop the chat memory tables of one prefix, and nothing else.
	 * @param dataSource the data source
	 * @param prefix the prefix
	 */
	public static void dropTables(DataSource dataSource, String prefix) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		for (String table : TABLES) {
			jdbc.execute("DROP TABLE IF EXISTS " + prefix + table);
		}
		try {
			jdbc.execute("DROP SEQUENCE IF EXISTS " + prefix + "recall_stamp");
		}
		catch (DataAccessException ex) {
			// SQLite and MySQL keep the recall stamps in a table
			jdbc.execute("DROP TABLE IF EXISTS " + prefix + "recall_stamp");
		}
	}

	/**
	 * The chat memory tables of one test class, under their own prefix.
	 *
	 * @param database the database
	 * @param dataSource the data source
	 * @param prefix the table prefix
	 */
	public record Tables(TestDatabases database, DataSource dataSource, String prefix) {

		/**
		 * Return store settings on these tables.
		 * @param maxHistory the history limit, 0 for none
		 * @return the settings
		 */
		public JdbcStoreSettings settings(int maxHistory) {
			return new JdbcStoreSettings(this.prefix, this.database.dialect(), Duration.ofSeconds(10), maxHistory);
		}

		/**
		 * Remove every row of these tables but the schema version, for a fresh store.
		 */
		public void empty() {
			JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
			for (String table : TABLES) {
				jdbc.update("DELETE FROM " + this.prefix + table
						+ (table.equals("store_info") ? " WHERE name <> 'schema_version'" : ""));
			}
		}

		/**
		 * Drop these tables.
		 */
		public void drop() {
			dropTables(this.dataSource, this.prefix);
		}

	}

}
