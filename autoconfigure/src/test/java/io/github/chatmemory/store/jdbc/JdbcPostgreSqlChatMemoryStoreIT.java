package io.github.chatmemory.store.jdbc;

import io.github.chatmemory.store.AbstractChatMemoryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on {@link JdbcChatMemoryStore} with PostgreSQL, on tables of its own.
 */
class JdbcPostgreSqlChatMemoryStoreIT extends AbstractChatMemoryStoreContractTests {

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
	protected ChatMemoryStore createStore(int maxHistory) {
		tables.empty();
		return new JdbcChatMemoryStore(tables.dataSource(), tables.settings(maxHistory), this.clock);
	}

}
