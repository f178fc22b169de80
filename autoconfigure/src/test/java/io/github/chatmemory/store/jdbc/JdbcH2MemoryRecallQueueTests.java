package io.github.chatmemory.store.jdbc;

import io.github.chatmemory.store.AbstractRecallQueueContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The recall queue contract on {@link JdbcChatMemoryStore} with H2 in memory, on tables of its own.
 */
class JdbcH2MemoryRecallQueueTests extends AbstractRecallQueueContractTests {

	private static TestDatabases.Tables tables;

	@BeforeAll
	static void createTables() {
		tables = TestDatabases.H2_MEMORY.createTables();
	}

	@AfterAll
	static void dropTables() {
		tables.drop();
	}

	@Override
	protected ChatMemoryStore createStore() {
		tables.empty();
		return new JdbcChatMemoryStore(tables.dataSource(), tables.settings(0), this.clock);
	}

}
