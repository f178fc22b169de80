package io.github.chatmemory.store.jdbc;

import java.sql.DatabaseMetaData;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

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

	/** MySQL 8.0.17 and later (its NO PAD binary collation, {@code utf8mb4_0900_bin}). */
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
	 * Whether the database is a server the driver talks to over the network, whose
	 * answers may never come; H2 and SQLite run inside the application here.
	 */
	boolean overNetwork() {
		return this == POSTGRESQL || this == MARIADB || this == MYSQL;
	}

	/**
	 * Whether a JDBC query timeout ends a statement without waiting on the server: in H2
	 * and SQLite it runs in the application, and MariaDB and MySQL's drivers have the
	 * server stop the statement ({@code max_statement_time}). PgJDBC cancels a query over
	 * a new connection and waits for it (up to its {@code cancelSignalTimeout}, 10 s by
	 * default) before the statement returns, so a server that hangs would hold the call
	 * that long past the timeout; on PostgreSQL the network timeout alone bounds each
	 * statement.
	 */
	boolean cancelsQueriesInProcess() {
		return this != POSTGRESQL;
	}

	/**
	 * The statement that makes the instances creating the tables of one prefix (its
	 * parameter names them) wait for each other until the transaction ends, or
	 * {@code null} where the database does it by itself. PostgreSQL fails one of two
	 * {@code CREATE ... IF NOT EXISTS} of one name that run at once (a duplicate key in
	 * its catalog), at any statement of the script; its DDL is transactional, so a script
	 * that runs in a transaction under an advisory lock meets no other. MariaDB and MySQL
	 * queue such statements on a metadata lock; H2 and SQLite run in one application.
	 */
	@Nullable String schemaLock() {
		return (this == POSTGRESQL) ? "SELECT pg_advisory_xact_lock(hashtext(?))" : null;
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

	/**
	 * The {@code ORDER BY} clause of a query that reads an index in order after its
	 * {@code WHERE} fixed the index's leading column to one value. H2 reads an index in
	 * order only for an {@code ORDER BY} that names the index's columns from the first, and
	 * otherwise sorts every row the {@code WHERE} finds (a whole session); MariaDB does the
	 * opposite, sorting when the fixed column is named.
	 * @param fixedColumn the leading column the {@code WHERE} fixes
	 * @param columns the columns to order by, comma-separated
	 * @param descending whether newest first
	 */
	String orderBy(String fixedColumn, String columns, boolean descending) {
		String ordered = (this == H2) ? fixedColumn + ", " + columns : columns;
		return " ORDER BY " + (descending ? ordered.replace(",", " DESC,") + " DESC" : ordered);
	}

	/**
	 * The SQL expression that draws a new recall task stamp from the store's stamp
	 * source: a sequence where the database has them; SQLite reads the one-row counter
	 * that {@link #recallStampBefore} moved on, MySQL the id that its
	 * {@code AUTO_INCREMENT} table just handed out. Either way a value is never handed out
	 * twice, not even after a restart or a rollback.
	 * @param source the sequence or table of the stamps, {@code <prefix>recall_stamp}
	 */
	String recallStamp(String source) {
		return switch (this) {
			case POSTGRESQL -> "nextval('" + source + "')";
			case MARIADB, H2 -> "NEXT VALUE FOR " + source;
			case SQLITE -> "(SELECT next_value FROM " + source + " WHERE id = 1)";
			case MYSQL -> "LAST_INSERT_ID()";
		};
	}

	/**
	 * The statement that makes the next {@link #recallStamp stamp} ready, or {@code null}
	 * where a sequence draws it. SQLite moves a one-row counter on, which costs nothing
	 * more as SQLite runs one writer at a time; MySQL has no sequences and takes the next
	 * id of an {@code AUTO_INCREMENT} table, whose counter is released at once, so writers
	 * of different sessions never wait for each other.
	 */
	@Nullable String recallStampBefore(String source) {
		return switch (this) {
			case SQLITE -> "INSERT INTO " + source + " (id, next_value) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET "
					+ "next_value = next_value + 1";
			case MYSQL -> "INSERT INTO " + source + " () VALUES ()";
			default -> null;
		};
	}

	/**
	 * The statement that cleans up after a {@link #recallStamp stamp} was used, or
	 * {@code null}: MySQL removes the row its stamp came from.
	 */
	@Nullable String recallStampAfter(String source) {
		return (this == MYSQL) ? "DELETE FROM " + source + " WHERE id = LAST_INSERT_ID()" : null;
	}

	/**
	 * The statement that queues a recall task or merges it into the session's task in
	 * one atomic step, or {@code null} for H2, whose {@code MERGE} is not atomic against
	 * a concurrent insert: the caller updates, then inserts. Its parameters are the
	 * session id, the first sequence to index, the rebuild flag (0 or 1) and when it was
	 * queued; a merge takes a new stamp, the earlier start and the rebuild flag of either,
	 * and keeps when the task was first queued.
	 * @param table the recall task table
	 * @param stamp the stamp expression
	 */
	@Nullable String upsertRecallTask(String table, String stamp) {
		String insert = "INSERT INTO " + table + " (session_id, stamp, from_seq, rebuild, queued_at) VALUES (?, "
				+ stamp + ", ?, ?, ?)";
		return switch (this) {
			case POSTGRESQL, SQLITE -> insert + " ON CONFLICT (session_id) DO UPDATE SET stamp = excluded.stamp, "
					+ "from_seq = CASE WHEN " + table + ".from_seq < excluded.from_seq THEN " + table
					+ ".from_seq ELSE excluded.from_seq END, rebuild = CASE WHEN " + table
					+ ".rebuild > excluded.rebuild THEN " + table + ".rebuild ELSE excluded.rebuild END";
			// assignments run left to right on the updated row: none reads a column set before it
			case MARIADB, MYSQL -> insert + " ON DUPLICATE KEY UPDATE from_seq = CASE WHEN from_seq < VALUES(from_seq) "
					+ "THEN from_seq ELSE VALUES(from_seq) END, rebuild = CASE WHEN rebuild > VALUES(rebuild) "
					+ "THEN rebuild ELSE VALUES(rebuild) END, stamp = VALUES(stamp)";
			case H2 -> null;
		};
	}

	/**
	 * Turn {@code INSERT INTO table (id, ...) VALUES (...)} into an insert that, when the
	 * key is taken, leaves the row as it is, with the lock a {@code SELECT ... FOR UPDATE}
	 * would take: InnoDB takes only a shared lock on a duplicate key met by
	 * {@code INSERT IGNORE}, and two racing creators that then both ask for the exclusive
	 * one deadlock.
	 */
	String insertOrLock(String insert) {
		return (this == MARIADB || this == MYSQL) ? insert + " ON DUPLICATE KEY UPDATE id = id"
				: insertIfAbsent(insert);
	}

}
