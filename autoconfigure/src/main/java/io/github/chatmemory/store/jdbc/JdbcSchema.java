package io.github.chatmemory.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import javax.sql.DataSource;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.datasource.init.ScriptException;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StreamUtils;

/**
 * The schema of the JDBC store: one script per dialect in the jar, the tables it makes
 * and the version it records, and the scripts that upgrade the tables of an earlier
 * version, {@code upgrade-<n>-to-<n+1>-<platform>.sql}.
 */
public final class JdbcSchema {

	/** The version of the schema this release writes and reads. */
	public static final int VERSION = 2;

	/** The placeholder of the table prefix in the scripts, as Flyway and Liquibase write theirs. */
	static final String PREFIX_PLACEHOLDER = "${table_prefix}";

	private static final String VERSION_NAME = "schema_version";

	/** Every table of the scripts with the columns the store reads and writes. */
	private static final Map<String, String> COLUMNS = columns();

	private final DataSource dataSource;

	private final JdbcStoreSettings settings;

	private final StoreInfoTable info;

	private final JdbcClient jdbc;

	/**
	 * Create the schema of a store.
	 * @param dataSource the data source
	 * @param settings the store's settings, whose dialect names the script and whose
	 * prefix names the tables
	 */
	public JdbcSchema(DataSource dataSource, JdbcStoreSettings settings) {
		JdbcTemplate template = settings.template(dataSource);
		this.dataSource = template.getDataSource();
		this.settings = settings;
		this.jdbc = JdbcClient.create(template);
		this.info = new StoreInfoTable(this.jdbc, settings);
	}

	/**
	 * Return where the dialect's script is.
	 * @return the script's location
	 */
	public String scriptLocation() {
		return "classpath:" + resourcePath();
	}

	/**
	 * Return where the dialect's script that upgrades tables of a version to the next is.
	 * @param fromVersion the version of the tables
	 * @return the script's location
	 */
	public String upgradeScriptLocation(int fromVersion) {
		return "classpath:" + upgradeResourcePath(fromVersion);
	}

	private String resourcePath() {
		return "io/github/chatmemory/store/jdbc/schema-" + this.settings.dialect().platform() + ".sql";
	}

	private String upgradeResourcePath(int fromVersion) {
		return "io/github/chatmemory/store/jdbc/upgrade-" + fromVersion + "-to-" + (fromVersion + 1) + "-"
				+ this.settings.dialect().platform() + ".sql";
	}

	/**
	 * Create the tables that are missing, upgrade tables of an earlier version and record
	 * the schema version; running it again changes nothing.
	 */
	public void create() {
		try {
			runScript(resourcePath(), scriptLocation());
			// the script leaves the version of earlier tables as it is: their upgrades say
			// what else they need, in order
			OptionalInt installed = installedVersion();
			for (int version = installed.orElse(VERSION); version < VERSION; version++) {
				runScript(upgradeResourcePath(version), upgradeScriptLocation(version));
			}
		}
		catch (ScriptException ex) {
			// a table of the application under the prefix fails the script (an index on a
			// column it lacks): say that rather than which statement failed
			checkColumns();
			throw ex;
		}
		// CREATE TABLE IF NOT EXISTS passes over a table of the application under the prefix
		checkColumns();
		if (installedVersion().isEmpty()) {
			this.info.write(VERSION_NAME, Integer.toString(VERSION));
		}
	}

	private void runScript(String resourcePath, String location) {
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ByteArrayResource(script(resourcePath, location).getBytes(StandardCharsets.UTF_8), location));
		populator.setSqlScriptEncoding(StandardCharsets.UTF_8.name());
		runScript(populator);
	}

	private void runScript(ResourceDatabasePopulator populator) {
		String schemaLock = this.settings.dialect().schemaLock();
		if (schemaLock == null) {
			populator.execute(this.dataSource);
			return;
		}
		// the script runs in one transaction that holds the lock of this prefix, so an
		// instance starting at the same time waits and then finds the committed tables
		new TransactionTemplate(new DataSourceTransactionManager(this.dataSource)).executeWithoutResult((status) -> {
			this.jdbc.sql(schemaLock).param("chat-memory-schema:" + this.settings.tablePrefix()).query().listOfRows();
			populator.execute(this.dataSource);
		});
	}

	/**
	 * Return the script with the table prefix in place.
	 * @return the SQL
	 */
	String script() {
		return script(resourcePath(), scriptLocation());
	}

	private String script(String resourcePath, String location) {
		try {
			String script = StreamUtils.copyToString(
					new ClassPathResource(resourcePath, JdbcSchema.class.getClassLoader()).getInputStream(),
					StandardCharsets.UTF_8);
			return script.replace(PREFIX_PLACEHOLDER, this.settings.tablePrefix());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + location, ex);
		}
	}

	/**
	 * Return the schema version recorded in the database.
	 * @return the version, or empty when the tables are missing
	 * @throws DataAccessResourceFailureException if the database cannot be reached
	 */
	public OptionalInt installedVersion() {
		Optional<String> version;
		try {
			version = this.info.read(VERSION_NAME);
		}
		catch (DataAccessResourceFailureException | TransientDataAccessException ex) {
			// no connection, or a timeout: the tables may well be there, and "create them"
			// would send the operator the wrong way
			throw ex;
		}
		catch (DataAccessException ex) {
			// the table does not exist: every database reports that as a bad statement
			return OptionalInt.empty();
		}
		return version.map((value) -> OptionalInt.of(Integer.parseInt(value.trim()))).orElse(OptionalInt.empty());
	}

	/**
	 * Check that the tables exist at a version this release reads.
	 * @throws JdbcSchemaException if they are missing or were written by a later release
	 */
	public void check() {
		OptionalInt installed = installedVersion();
		String prefix = this.settings.tablePrefix();
		if (installed.isEmpty()) {
			throw new JdbcSchemaException("The chat memory tables with prefix '" + prefix + "' are missing in the "
					+ this.settings.dialect().platform() + " database: set chat-memory.jdbc.initialize-schema=always, "
					+ "or run " + scriptLocation() + " with table_prefix=" + prefix
					+ " (in a Flyway or Liquibase migration, for instance)", scriptLocation());
		}
		if (installed.getAsInt() > VERSION) {
			throw new JdbcSchemaException("The chat memory tables with prefix '" + prefix + "' are at schema version "
					+ installed.getAsInt() + ", written by a later release; this release reads version " + VERSION
					+ ": upgrade the application, or use another table prefix");
		}
		if (installed.getAsInt() < VERSION) {
			String upgrade = upgradeScriptLocation(installed.getAsInt());
			throw new JdbcSchemaException("The chat memory tables with prefix '" + prefix + "' are at schema version "
					+ installed.getAsInt() + "; this release needs version " + VERSION + ": set "
					+ "chat-memory.jdbc.initialize-schema=always to have the store upgrade them, or run " + upgrade
					+ ((installed.getAsInt() + 1 < VERSION) ? " and the later upgrade scripts" : "")
					+ " with table_prefix=" + prefix + " (in a Flyway or Liquibase migration, for instance)", upgrade);
		}
		checkColumns();
	}

	/**
	 * Check that every table under the prefix has the store's columns, reading none of
	 * its rows: a table of the same name that the application owns (its prefix collides
	 * with the store's) would otherwise fail every call at run time.
	 * @throws JdbcSchemaException naming the first table that is not the store's
	 */
	private void checkColumns() {
		COLUMNS.forEach((name, columns) -> {
			String table = this.settings.table(name);
			try {
				this.jdbc.sql("SELECT " + columns + " FROM " + table + " WHERE 1 = 0").query().listOfRows();
			}
			catch (DataAccessException ex) {
				throw new JdbcSchemaException("The table '" + table + "' is not a chat memory table: it lacks "
						+ "some of the columns " + columns + " (" + ex.getMostSpecificCause().getMessage()
						+ "); a table of the application may have a name that starts with the table prefix '"
						+ this.settings.tablePrefix() + "'", ex);
			}
		});
	}

	private static Map<String, String> columns() {
		Map<String, String> columns = new LinkedHashMap<>();
		columns.put("session", "id, user_id, title, metadata, active, created_at, updated_at, version, "
				+ "rewritten_version, last_seq, message_count, system_seq");
		columns.put("message", "session_id, seq, message_id, role, fingerprint, body, media, created_at");
		columns.put("summary", "session_id, pos, summary_id, body");
		columns.put("branch", "session_id, branch_id, created_at");
		columns.put("lease", "name, holder, expires_at");
		columns.put("store_info", "name, info_value");
		columns.put("recall_task", "session_id, stamp, from_seq, rebuild, queued_at");
		return columns;
	}

}
