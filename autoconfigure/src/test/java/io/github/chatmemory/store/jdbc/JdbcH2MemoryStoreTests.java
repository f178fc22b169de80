package io.github.chatmemory.store.jdbc;

import io.github.chatmemory.test.TestDatabases;

/**
 * What only the JDBC store does, with H2 in memory.
 */
class JdbcH2MemoryStoreTests extends AbstractJdbcStoreTests {

	@Override
	protected TestDatabases database() {
		return TestDatabases.H2_MEMORY;
	}

}
