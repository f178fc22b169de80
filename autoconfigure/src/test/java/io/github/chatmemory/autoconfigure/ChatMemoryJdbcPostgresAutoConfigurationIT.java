package io.github.chatmemory.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.chatmemory.store.jdbc.JdbcChatMemoryStore;
import io.github.chatmemory.store.jdbc.JdbcSchema;
import io.github.chatmemory.store.jdbc.JdbcStoreSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schema initialization of the JDBC store on a database served by another process, the
 * machine's PostgreSQL ({@code CHAT_MEMORY_TEST_POSTGRES_URL}, else
 * {@code jdbc:postgresql://127.0.0.1:5432/test} as user postgres): 'embedded' and 'never'
 * only check the tables, and fail at startup naming the script when they are missing;
 * 'always' creates them. Every table has this test's own random prefix and is dropped
 * after it.
 */
class ChatMemoryJdbcPostgresAutoConfigurationIT {

	private final String prefix = "cmt_" + UUID.randomUUID().toString().substring(0, 8) + "_";

	private final DataSource dataSource = postgres();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class))
		.withBean(DataSource.class, () -> this.dataSource)
		.withPropertyValues("chat-memory.store=jdbc", "chat-memory.jdbc.table-prefix=" + this.prefix);

	@BeforeEach
	void postgresAnswers() {
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.isValid(2)).isTrue();
		}
		catch (SQLException ex) {
			throw new AssertionError("This test needs PostgreSQL at " + url() + " (user postgres, trust "
					+ "authentication, database test), or CHAT_MEMORY_TEST_POSTGRES_URL: " + ex.getMessage(), ex);
		}
	}

	@AfterEach
	void dropTheTestsTables() {
		JdbcTables.dropWithPrefix(this.dataSource, this.prefix);
	}

	@Test
	void embeddedModeOnlyChecksADatabaseOfAnotherProcess() {
		// the decision alone, as the check that follows it fails without tables
		JdbcSchemaInitializer initializer = new JdbcSchemaInitializer(this.dataSource,
				new ChatMemoryJdbcProperties().toSettings(this.dataSource),
				org.springframework.boot.sql.init.DatabaseInitializationMode.EMBEDDED);
		assertThat(InProcessDatabase.isInProcess(this.dataSource)).isFalse();
		assertThat(initializer.chooseAction()).isEqualTo(JdbcSchemaInitializer.Action.CHECK);
	}

	// The tests below need the JDBC store itself (the jdbc-store branch).

	@Test
	void neverModeWithoutTablesFailsAtStartupNamingTheScript() {
		this.contextRunner.withPropertyValues("chat-memory.jdbc.initialize-schema=never").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).startsWith(
					"Invalid value 'never' for configuration property 'chat-memory.jdbc.initialize-schema': the "
							+ "tables were not created (initialize-schema is never)");
			assertThat(analysis.getAction()).contains("classpath:io/github/chatmemory/store/jdbc/schema-postgresql.sql",
					"${table_prefix}", "'" + this.prefix + "'");
		});
		assertThat(JdbcTables.withPrefix(this.dataSource, this.prefix)).isEmpty();
	}

	@Test
	void embeddedModeWithoutTablesFailsAtStartupAndCreatesNothing() {
		this.contextRunner.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
			.contains("initialize-schema is embedded and the database runs in another process"));
		assertThat(JdbcTables.withPrefix(this.dataSource, this.prefix)).isEmpty();
	}

	@Test
	void alwaysModeCreatesTheTablesAndAnotherStartupFindsThem() {
		this.contextRunner.withPropertyValues("chat-memory.jdbc.initialize-schema=always").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(JdbcChatMemoryStore.class);
			assertThat(context.getBean(JdbcSchemaInitializer.class).getAction())
				.isEqualTo(JdbcSchemaInitializer.Action.CREATE);
			assertThat(new JdbcSchema(this.dataSource, context.getBean(JdbcStoreSettings.class)).installedVersion())
				.hasValue(JdbcSchema.VERSION);
		});
		assertThat(JdbcTables.withPrefix(this.dataSource, this.prefix)).isNotEmpty();
		// the tables are there now, so the default mode's check passes
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(JdbcChatMemoryStore.class));
	}

	@Test
	void neverModeWithTablesOfSchemaVersionOneFailsAtStartupNamingTheUpgradeScript() {
		createVersionOneTables();
		this.contextRunner.withPropertyValues("chat-memory.jdbc.initialize-schema=never").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("are at schema version 1; this release needs version 2");
			assertThat(analysis.getAction()).startsWith("Upgrade the tables with the script "
					+ "classpath:io/github/chatmemory/store/jdbc/upgrade-1-to-2-postgresql.sql")
				.contains("${table_prefix}", "'" + this.prefix + "'");
		});
	}

	@Test
	void alwaysModeUpgradesTablesOfSchemaVersionOne() {
		createVersionOneTables();
		this.contextRunner.withPropertyValues("chat-memory.jdbc.initialize-schema=always").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(new JdbcSchema(this.dataSource, context.getBean(JdbcStoreSettings.class)).installedVersion())
				.hasValue(JdbcSchema.VERSION);
		});
	}

	/** The tables of schema version 1, from its script as released (git a79bb92). */
	private void createVersionOneTables() {
		try {
			String script = new org.springframework.core.io.ClassPathResource(
					"io/github/chatmemory/store/jdbc/v1/schema-postgresql.sql")
				.getContentAsString(java.nio.charset.StandardCharsets.UTF_8)
				.replace("${table_prefix}", this.prefix);
			new org.springframework.jdbc.datasource.init.ResourceDatabasePopulator(
					new org.springframework.core.io.ByteArrayResource(
							script.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
				.execute(this.dataSource);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).as("a startup failure").isNotNull();
		FailureAnalysis analysis = new ChatMemoryConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	private static String url() {
		String url = System.getenv("CHAT_MEMORY_TEST_POSTGRES_URL");
		return (url != null && !url.isBlank()) ? url : "jdbc:postgresql://127.0.0.1:5432/test";
	}

	private static DataSource postgres() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(url());
		if (!url().toLowerCase(Locale.ROOT).contains("user=")) {
			dataSource.setUser("postgres");
		}
		dataSource.setConnectTimeout(3);
		return dataSource;
	}

}
