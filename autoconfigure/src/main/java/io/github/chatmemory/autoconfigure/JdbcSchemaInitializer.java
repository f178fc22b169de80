package io.github.chatmemory.autoconfigure;

import javax.sql.DataSource;

import io.github.chatmemory.store.jdbc.JdbcSchema;
import io.github.chatmemory.store.jdbc.JdbcSchemaException;
import io.github.chatmemory.store.jdbc.JdbcStoreSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * Creates or checks the JDBC store's tables at startup, as
 * {@code chat-memory.jdbc.initialize-schema} says, so that missing tables stop the
 * application rather than its first chat turn. The store bean depends on it, and it runs
 * after Flyway, Liquibase and Boot's SQL scripts, which may be what creates the tables.
 */
class JdbcSchemaInitializer implements InitializingBean {

	private static final Log logger = LogFactory.getLog(JdbcSchemaInitializer.class);

	/** What the initializer does with the tables. */
	enum Action {

		/** Create what is missing. */
		CREATE,

		/** Only check that they are there, at the version of this release. */
		CHECK

	}

	private final DataSource dataSource;

	private final JdbcStoreSettings settings;

	private final DatabaseInitializationMode mode;

	private @Nullable Action action;

	JdbcSchemaInitializer(DataSource dataSource, JdbcStoreSettings settings, DatabaseInitializationMode mode) {
		this.dataSource = dataSource;
		this.settings = settings;
		this.mode = mode;
	}

	@Override
	public void afterPropertiesSet() {
		this.action = chooseAction();
		JdbcSchema schema = new JdbcSchema(this.dataSource, this.settings);
		if (this.action == Action.CREATE) {
			try {
				schema.create();
			}
			catch (JdbcSchemaException ex) {
				throw new InvalidChatMemoryPropertyException("chat-memory.jdbc.table-prefix",
						this.settings.tablePrefix(), ex.getMessage(),
						"Set chat-memory.jdbc.table-prefix to a prefix that no table of the application starts with.",
						ex);
			}
			logger.info("Chat memory JDBC store: tables with prefix '" + this.settings.tablePrefix() + "' created "
					+ "or found (" + schema.scriptLocation() + ", chat-memory.jdbc.initialize-schema=" + name() + ")");
			return;
		}
		try {
			schema.check();
		}
		catch (JdbcSchemaException ex) {
			throw new InvalidChatMemoryPropertyException("chat-memory.jdbc.initialize-schema", name(),
					"the tables were not created (" + why() + ") and are not ready: " + ex.getMessage(),
					action(schema, ex),
					ex);
		}
	}

	/**
	 * Return what the initializer did.
	 * @return whether it created or only checked the tables, {@code null} before it ran
	 */
	@Nullable Action getAction() {
		return this.action;
	}

	/**
	 * Decide, from the mode and where the database runs, what to do with the tables.
	 * @return whether to create or only check them
	 */
	Action chooseAction() {
		return switch (this.mode) {
			case ALWAYS -> Action.CREATE;
			case NEVER -> Action.CHECK;
			case EMBEDDED -> InProcessDatabase.isInProcess(this.dataSource) ? Action.CREATE : Action.CHECK;
		};
	}

	private String action(JdbcSchema schema, JdbcSchemaException ex) {
		String script = (ex.getScript() != null) ? ex.getScript() : schema.scriptLocation();
		// an upgrade script only upgrades: the tables exist
		String what = script.equals(schema.scriptLocation()) ? "Create the tables" : "Upgrade the tables";
		return what + " with the script " + script + " from the starter's jar (replace ${table_prefix} with '"
				+ this.settings.tablePrefix() + "'), for example in a Flyway or Liquibase migration, or set "
				+ "chat-memory.jdbc.initialize-schema=always.";
	}

	private String why() {
		return (this.mode == DatabaseInitializationMode.NEVER) ? "initialize-schema is never"
				: "initialize-schema is embedded and the database runs in another process";
	}

	private String name() {
		return this.mode.name().toLowerCase(java.util.Locale.ROOT);
	}

}
