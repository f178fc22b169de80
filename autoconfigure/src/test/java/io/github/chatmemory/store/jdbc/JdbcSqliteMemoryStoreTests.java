package io.github.chatmemory.store.jdbc;

import io.github.chatmemory.test.TestDatabases;

/**
 * What only the JDBC store does, with SQLite in memory.
 */
class JdbcSqliteMemoryStoreTests extends AbstractJdbcStoreTests {

	@Override
	protected TestDatabases database() {
		return TestDatabases.SQLITE_MEMORY;
	}

}
