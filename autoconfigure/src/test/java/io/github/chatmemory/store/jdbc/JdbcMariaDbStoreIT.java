package io.github.chatmemory.store.jdbc;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the JDBC store does, with MariaDB, plus the plans MariaDB makes of the
 * statements that follow the window.
 */
class JdbcMariaDbStoreIT extends AbstractJdbcStoreTests {

	@Override
	protected TestDatabases database() {
		return TestDatabases.MARIADB;
	}

	@Test
	void theWindowReadsThePrimaryKeyInOrderInsteadOfSortingTheSession() {
		// ORDER BY session_id DESC, seq DESC (what H2 needs) made MariaDB sort the whole
		// session through this driver: a 20-message window took 12 ms at 10,000 messages
		TestDatabases.Tables tables = TestDatabases.MARIADB.createTables();
		try {
			JdbcChatMemoryStore store = new JdbcChatMemoryStore(tables.dataSource(), tables.settings(0),
					Clock.systemUTC());
			Instant now = Instant.now();
			List<StoredMessage> messages = new ArrayList<>();
			for (int i = 1; i <= 2_000; i++) {
				messages.add(new StoredMessage("b-" + i, "b", i, MessageRole.USER, "message " + i, Map.of(), null,
						List.of(), List.of(), now));
			}
			store.importSession(new ChatSession("b", "ada", "", Map.of(), true, now, now, 0), messages, false, null);
			JdbcTemplate jdbc = new JdbcTemplate(tables.dataSource());
			List<Map<String, Object>> plan = jdbc.queryForList("EXPLAIN " + store.recentMessagesSql(false), "b", 2_000L,
					20);
			assertThat(plan).singleElement().satisfies((row) -> {
				assertThat(row.get("key")).isEqualTo("PRIMARY");
				assertThat(String.valueOf(row.get("Extra"))).doesNotContain("filesort");
			});
		}
		finally {
			tables.drop();
		}
	}

}
