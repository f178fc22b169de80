package io.github.chatmemory.store.jdbc;

import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the JDBC store does, with H2 in memory, plus the plans H2 makes of the
 * statements that follow the window.
 */
class JdbcH2MemoryStoreTests extends AbstractJdbcStoreTests {

	@Override
	protected TestDatabases database() {
		return TestDatabases.H2_MEMORY;
	}

	@Test
	void windowsAndListingsReadTheirIndexInOrderInsteadOfSortingWhatTheyFind() {
		// H2 sorted a whole session for ORDER BY seq DESC: a window cost 5.5 ms at 10,000
		// messages against 0.8 ms at 10
		TestDatabases.Tables tables = TestDatabases.H2_MEMORY.createTables();
		try {
			JdbcTemplate jdbc = new JdbcTemplate(tables.dataSource());
			String p = tables.prefix();
			JdbcChatMemoryStore store = new JdbcChatMemoryStore(tables.dataSource(), tables.settings(0),
					java.time.Clock.systemUTC());
			assertThat(plan(jdbc, window(store))).contains("index sorted");
			assertThat(plan(jdbc, "SELECT id FROM " + p + "session WHERE user_id = 'ada' "
					+ "ORDER BY user_id DESC, updated_at DESC, id DESC LIMIT 10 OFFSET 0"))
				.contains("index sorted");
			assertThat(plan(jdbc, "SELECT body FROM " + p + "summary WHERE session_id = 'b' "
					+ "ORDER BY session_id DESC, pos DESC LIMIT 1"))
				.contains("index sorted");
			assertThat(plan(jdbc, "SELECT id FROM " + p + "session ORDER BY updated_at DESC, id DESC LIMIT 10"))
				.contains("index sorted");
		}
		finally {
			tables.drop();
		}
	}

	/**
	 * The store's own window statement, for one session and one sequence.
	 */
	private static String window(JdbcChatMemoryStore store) {
		return store.recentMessagesSql(false)
			.replaceFirst("\\?", "'b'")
			.replaceFirst("\\?", "10000")
			.replaceFirst("\\?", "20");
	}

	private static String plan(JdbcTemplate jdbc, String sql) {
		return String.join("\n", jdbc.queryForList("EXPLAIN " + sql, String.class));
	}

}
