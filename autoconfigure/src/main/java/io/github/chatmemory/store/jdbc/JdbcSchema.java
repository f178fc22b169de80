package io.github.chatmemory.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

import javax.sql.DataSource;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.datasource.init.ScriptException;
import org.springframework.util.StreamUtils;

/**
 * The schema of the JDBC store: one script per dialect in the jar, the tables it makes
 * and the version it records, which a later release migrates from.
 */
public final class JdbcSchema {

	/** The version of the schema this release writes and reads. */
	public static final int VERSION = 1;

	/** The placeholder of the table prefix in the scripts, as Flyway and Liquibase write theirs. */
	static final String PREFIX_PLACEHOLDER = "${table_prefix}";

	private static final String VERSION_NAME = "schema_version";

	private final DataSource dataSource;

	private final JdbcStoreSettings settings;

	private final StoreInfoTable info;

	/**
	 * Create the schema of a store.
	 * @param dataSource the data source
	 * @param settings the store's settings, whose dialect names the script and whose
	 * prefix names the tables
	 */
	public JdbcSchema(DataSource dataSource, JdbcStoreSettings settings) {
		this.dataSource = settings.bound(dataSource);
		this.settings = settings;
		this.info = new StoreInfoTable(JdbcClient.create(settings.template(dataSource)), settings);
	}

	/**
	 * Return where the dialect's script is.
	 * @return the script's location
	 */
	public String scriptLocation() {
		return "classpath:" + resourcePath();
	}

	private String resourcePath() {
		return "io/github/chatmemory/store/jdbc/schema-" + this.settings.dialect().platform() + ".sql";
	}

	/**
	 * Create the tables that are missing and record the schema version; running it again
	 * changes nothing.
	 */
	public void create() {
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ByteArrayResource(script().getBytes(StandardCharsets.UTF_8), scriptLocation()));
		populator.setSqlScriptEncoding(StandardCharsets.UTF_8.name());
		try {
			populator.execute(this.dataSource);
		}
		catch (ScriptException ex) {
			// two instances starting at once race on CREATE TABLE IF NOT EXISTS, which
			// PostgreSQL can report as a duplicate type: a second run finds the tables
			populator.execute(this.dataSource);
		}
		if (installedVersion().isEmpty()) {
			this.info.write(VERSION_NAME, Integer.toString(VERSION));
		}
	}

	/**
	 * Return the script with the table prefix in place.
	 * @return the SQL
	 */
	String script() {
		try {
			String script = StreamUtils.copyToString(
					new ClassPathResource(resourcePath(), JdbcSchema.class.getClassLoader()).getInputStream(),
					StandardCharsets.UTF_8);
			return script.replace(PREFIX_PLACEHOLDER, this.settings.tablePrefix());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + scriptLocation(), ex);
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
					+ " (in a Flyway or Liquibase migration, for instance)");
		}
		if (installed.getAsInt() > VERSION) {
			throw new JdbcSchemaException("The chat memory tables with prefix '" + prefix + "' are at schema version "
					+ installed.getAsInt() + ", written by a later release; this release reads version " + VERSION
					+ ": upgrade the application, or use another table prefix");
		}
		if (installed.getAsInt() < VERSION) {
			throw new JdbcSchemaException("The chat memory tables with prefix '" + prefix + "' are at schema version "
					+ installed.getAsInt() + "; this release needs version " + VERSION + ": run its migration");
		}
	}

}
