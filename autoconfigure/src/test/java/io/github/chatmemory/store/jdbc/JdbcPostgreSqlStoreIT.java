package io.github.chatmemory.store.jdbc;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatSession;
import com.zaxxer.hikari.HikariDataSource;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the JDBC store does, with PostgreSQL, plus the plans PostgreSQL makes of the
 * statements that follow the window.
 */
class JdbcPostgreSqlStoreIT extends AbstractJdbcStoreTests {

	@Override
	protected TestDatabases database() {
		return TestDatabases.POSTGRESQL;
	}

	@Test
	void windowsAndIdLookupsAreIndexScansOfTheSessionNeverASortOfItsHistory() {
		TestDatabases.Tables tables = TestDatabases.POSTGRESQL.createTables();
		try {
			JdbcChatMemoryStore store = new JdbcChatMemoryStore(tables.dataSource(), tables.settings(0),
					java.time.Clock.systemUTC());
			Instant now = Instant.now();
			for (String session : List.of("a", "b", "c")) {
				List<StoredMessage> messages = new ArrayList<>();
				for (int i = 1; i <= 10_000; i++) {
					messages.add(new StoredMessage(session + "-" + i, session, i, MessageRole.USER, "message " + i,
							Map.of(), null, List.of(), List.of(), now));
				}
				store.importSession(new ChatSession(session, "ada", "", Map.of(), true, now, now, 0), messages, false,
						null);
			}
			JdbcTemplate jdbc = new JdbcTemplate(tables.dataSource());
			jdbc.execute("ANALYZE " + tables.prefix() + "message");
			String window = plan(jdbc, window(store));
			assertThat(window).contains("Index Scan Backward").doesNotContain("Sort").doesNotContain("Seq Scan");
			String ids = plan(jdbc, "SELECT message_id, seq, fingerprint FROM " + tables.prefix()
					+ "message WHERE session_id = 'b' AND message_id IN ('b-5', 'b-9000')");
			assertThat(ids).contains("Index").doesNotContain("Seq Scan");
		}
		finally {
			tables.drop();
		}
	}

	@Test
	void connectionsCarryTheNetworkTimeoutWhileTheStoreHasThemAndGetTheirOwnBack() throws Exception {
		HikariDataSource pool = TestDatabases.POSTGRESQL.createDataSource(1);
		try {
			JdbcStoreSettings settings = new JdbcStoreSettings("x_", JdbcDialect.POSTGRESQL, Duration.ofMillis(1500));
			try (Connection connection = settings.bound(pool).getConnection()) {
				assertThat(connection.getNetworkTimeout()).isEqualTo(1500);
			}
			try (Connection connection = pool.getConnection()) {
				assertThat(connection.getNetworkTimeout()).isZero();
			}
		}
		finally {
			pool.close();
		}
	}

	@Test
	void aWriteJoinsTheTransactionTheApplicationBeganOnTheSameDataSource() {
		TestDatabases.Tables tables = TestDatabases.POSTGRESQL.createTables();
		try {
			JdbcChatMemoryStore store = new JdbcChatMemoryStore(tables.dataSource(), tables.settings(0),
					java.time.Clock.systemUTC());
			TransactionTemplate application = new TransactionTemplate(
					new DataSourceTransactionManager(tables.dataSource()));
			application.executeWithoutResult((status) -> {
				store.append("joined", List.of(NewMessage.of(MessageRole.USER, "hello").withId("m1")), true, null);
				status.setRollbackOnly();
			});
			assertThat(store.findSession("joined")).as("rolled back with the application's transaction").isEmpty();
			application.executeWithoutResult((status) -> store.append("joined",
					List.of(NewMessage.of(MessageRole.USER, "hello").withId("m1")), true, null));
			assertThat(store.findSession("joined")).hasValueSatisfying((session) -> assertThat(session.messageCount())
				.isEqualTo(1));
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
