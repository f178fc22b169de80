package io.github.chatmemory.autoconfigure;

import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.chatmemory.store.jdbc.JdbcSchema;
import io.github.chatmemory.store.jdbc.JdbcStoreSettings;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table prefix that collides with a table of the application (its own
 * {@code <prefix>session}, say, as {@code spring_} would meet Spring Session's
 * {@code SPRING_SESSION}): the store must not start on a table that is not its own,
 * where every request would fail later, but stop the startup naming the table and the
 * prefix, and leave the application's table as it was. On PostgreSQL and MariaDB, in
 * the mode that creates the tables and in the one that only checks them.
 */
class ChatMemoryJdbcTablePrefixCollisionIT {

	private final String prefix = "cmt_" + UUID.randomUUID().toString().substring(0, 8) + "_";

	private DataSource dataSource;

	@AfterEach
	void dropTheTestsTables() {
		if (this.dataSource != null) {
			JdbcTables.dropWithPrefix(this.dataSource, this.prefix);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabases.class, names = { "POSTGRESQL", "MARIADB" })
	void alwaysModeRefusesATableOfTheApplicationUnderThePrefix(TestDatabases database) {
		this.dataSource = database.dataSource();
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		jdbc.execute("CREATE TABLE " + this.prefix + "session (id INT NOT NULL PRIMARY KEY, payload VARCHAR(20))");
		jdbc.update("INSERT INTO " + this.prefix + "session (id, payload) VALUES (1, 'the application''s')");
		contextRunner(database).withPropertyValues("chat-memory.jdbc.initialize-schema=always").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.startsWith("Invalid value '" + this.prefix + "' for configuration property 'chat-memory.jdbc.table-prefix'")
				.contains("'" + this.prefix + "session'");
			assertThat(analysis.getAction()).contains("chat-memory.jdbc.table-prefix");
		});
		assertThat(jdbc.queryForObject("SELECT payload FROM " + this.prefix + "session WHERE id = 1", String.class))
			.isEqualTo("the application's");
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabases.class, names = { "POSTGRESQL", "MARIADB" })
	void neverModeRefusesATableOfTheApplicationUnderThePrefix(TestDatabases database) {
		this.dataSource = database.dataSource();
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		new JdbcSchema(this.dataSource, new JdbcStoreSettings(this.prefix, database.dialect(),
				Duration.ofSeconds(10)))
			.create();
		jdbc.execute("DROP TABLE " + this.prefix + "message");
		jdbc.execute("CREATE TABLE " + this.prefix + "message (id INT NOT NULL PRIMARY KEY, payload VARCHAR(20))");
		contextRunner(database).withPropertyValues("chat-memory.jdbc.initialize-schema=never").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.startsWith("Invalid value 'never' for configuration property 'chat-memory.jdbc.initialize-schema'")
				.contains("'" + this.prefix + "message'");
		});
	}

	private ApplicationContextRunner contextRunner(TestDatabases database) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class))
			// not the shared pool itself, which the context would close
			.withBean(DataSource.class, () -> new DelegatingDataSource(database.dataSource()))
			.withPropertyValues("chat-memory.store=jdbc", "chat-memory.jdbc.table-prefix=" + this.prefix);
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).as("a startup failure").isNotNull();
		FailureAnalysis analysis = new ChatMemoryConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

}
