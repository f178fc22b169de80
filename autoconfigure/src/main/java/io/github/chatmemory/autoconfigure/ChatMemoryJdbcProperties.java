package io.github.chatmemory.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.github.chatmemory.store.jdbc.JdbcDialect;
import io.github.chatmemory.store.jdbc.JdbcStoreSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;

/**
 * Configuration properties of the JDBC chat memory store.
 */
@ConfigurationProperties("chat-memory.jdbc")
public class ChatMemoryJdbcProperties {

	/**
	 * Rule of a table prefix: it is written into SQL unquoted, so only an identifier
	 * every supported database accepts, short enough that prefixed table and index names
	 * stay within their length limits.
	 */
	private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,29}");

	/**
	 * When to create the store's tables at startup: 'embedded' when the database runs
	 * inside the application (H2 or SQLite, memory or file), 'always', or 'never'. Where
	 * tables are not created they are checked, and startup fails if they are missing.
	 */
	private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

	/**
	 * Prefix of the store's table names: a letter, then up to 29 letters, digits or
	 * underscores.
	 */
	private String tablePrefix = "chat_memory_";

	/**
	 * Database dialect, one of postgresql, mariadb, mysql, h2, sqlite. Unset detects it
	 * from the DataSource.
	 */
	private @Nullable String platform;

	/**
	 * Longest one statement of the store may run before it is cancelled and the call
	 * fails as an unavailable store does (REST 503).
	 */
	private Duration queryTimeout = Duration.ofSeconds(5);

	/**
	 * Maximum number of messages kept per session, the oldest removed first; 0 keeps
	 * them all.
	 */
	private int maxHistory = 0;

	public int getMaxHistory() {
		return this.maxHistory;
	}

	public void setMaxHistory(int maxHistory) {
		this.maxHistory = maxHistory;
	}

	public DatabaseInitializationMode getInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	public String getTablePrefix() {
		return this.tablePrefix;
	}

	public void setTablePrefix(String tablePrefix) {
		this.tablePrefix = tablePrefix;
	}

	public @Nullable String getPlatform() {
		return this.platform;
	}

	public void setPlatform(@Nullable String platform) {
		this.platform = platform;
	}

	public Duration getQueryTimeout() {
		return this.queryTimeout;
	}

	public void setQueryTimeout(Duration queryTimeout) {
		this.queryTimeout = queryTimeout;
	}

	/**
	 * Validate the properties, then detect the dialect unless {@code platform} names it.
	 * @param dataSource the store's data source
	 * @return the store's settings
	 */
	JdbcStoreSettings toSettings(DataSource dataSource) {
		if (!TABLE_PREFIX.matcher(this.tablePrefix).matches()) {
			throw new InvalidChatMemoryPropertyException("chat-memory.jdbc.table-prefix", this.tablePrefix,
					"must be a letter followed by at most 29 letters, digits or underscores",
					"Set chat-memory.jdbc.table-prefix to a name such as chat_memory_, or remove it to use the "
							+ "default.",
					null);
		}
		if (this.queryTimeout.isNegative() || this.queryTimeout.isZero()) {
			throw new InvalidChatMemoryPropertyException("chat-memory.jdbc.query-timeout", this.queryTimeout,
					"must be positive", "Set chat-memory.jdbc.query-timeout to a positive duration such as 5s.",
					null);
		}
		if (this.maxHistory < 0) {
			throw new InvalidChatMemoryPropertyException("chat-memory.jdbc.max-history", this.maxHistory,
					"must be 0 (keep all) or positive", "Set chat-memory.jdbc.max-history to 0 or more.", null);
		}
		return new JdbcStoreSettings(this.tablePrefix, dialect(dataSource), this.queryTimeout, this.maxHistory);
	}

	private JdbcDialect dialect(DataSource dataSource) {
		if (this.platform == null) {
			return JdbcDialect.detect(dataSource);
		}
		String wanted = this.platform.trim().toLowerCase(Locale.ROOT);
		return Arrays.stream(JdbcDialect.values())
			.filter((dialect) -> dialect.platform().equals(wanted))
			.findFirst()
			.orElseThrow(() -> new InvalidChatMemoryPropertyException("chat-memory.jdbc.platform", this.platform,
					"must be one of " + platforms(),
					"Set chat-memory.jdbc.platform to one of " + platforms()
							+ ", or remove it to detect the database from the DataSource.",
					null));
	}

	private static String platforms() {
		return Arrays.stream(JdbcDialect.values()).map(JdbcDialect::platform).collect(Collectors.joining(", "));
	}

}
