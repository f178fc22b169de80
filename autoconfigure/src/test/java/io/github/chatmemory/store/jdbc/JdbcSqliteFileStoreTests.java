package io.github.chatmemory.store.jdbc;

import io.github.chatmemory.test.TestDatabases;

/**
 * What only the JDBC store does, with SQLite in a file.
 */
class JdbcSqliteFileStoreTests extends AbstractJdbcStoreTests {

	@Override
	protected TestDatabases database() {
		return TestDatabases.SQLITE_FILE;
	}

}
