package io.github.chatmemory.springai;

import java.time.Clock;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.jdbc.JdbcChatMemoryStore;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Spring AI's chat-memory tests on the JDBC store with SQLite in a file, on tables of their own.
 */
class JdbcSqliteFileSpringAiChatMemoryTests extends AbstractSpringAiChatMemoryTests {

	private static TestDatabases.Tables tables;

	@BeforeAll
	static void createTables() {
		tables = TestDatabases.SQLITE_FILE.createTables();
	}

	@AfterAll
	static void dropTables() {
		tables.drop();
	}

	@Override
	protected ChatMemoryStore createStore(Clock clock) {
		tables.empty();
		return new JdbcChatMemoryStore(tables.dataSource(), tables.settings(0), clock);
	}

}
