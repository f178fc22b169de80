package io.github.chatmemory.store.jdbc;

import io.github.chatmemory.store.AbstractSummaryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The summary contract on {@link JdbcChatMemoryStore} with MariaDB, on tables of its own.
 */
class JdbcMariaDbSummaryStoreIT extends AbstractSummaryStoreContractTests {

	private static TestDatabases.Tables tables;

	@BeforeAll
	static void createTables() {
		tables = TestDatabases.MARIADB.createTables();
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
