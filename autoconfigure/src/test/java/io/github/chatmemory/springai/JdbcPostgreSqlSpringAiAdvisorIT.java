package io.github.chatmemory.springai;

import java.time.Clock;

import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.jdbc.JdbcChatMemoryStore;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Spring AI's advisor and tool-loop memory tests on the JDBC store with PostgreSQL, given
 * as the application's {@link ChatMemoryStore} bean; each test uses conversations of
 * its own.
 */
class JdbcPostgreSqlSpringAiAdvisorIT extends AbstractSpringAiAdvisorTests {

	private static TestDatabases.Tables tables;

	@BeforeAll
	static void createTables() {
		tables = TestDatabases.POSTGRESQL.createTables();
	}

	@AfterAll
	static void dropTables() {
		tables.drop();
	}

	@Override
	protected ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class))
			.withBean(ChatMemoryStore.class,
					() -> new JdbcChatMemoryStore(tables.dataSource(), tables.settings(0), Clock.systemUTC()));
	}

}
