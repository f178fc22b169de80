package io.github.chatmemory.store.jdbc;

import io.github.chatmemory.test.TestDatabases;

/**
 * What only the JDBC store does, with MariaDB.
 */
class JdbcMariaDbStoreIT extends AbstractJdbcStoreTests {

	@Override
	protected TestDatabases database() {
		return TestDatabases.MARIADB;
	}

}
