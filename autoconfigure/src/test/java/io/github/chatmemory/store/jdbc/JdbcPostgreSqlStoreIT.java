package io.github.chatmemory.store.jdbc;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.chatmemory.ChatSession;
import com.zaxxer.hikari.HikariDataSource;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.test.StatementHookDataSource;
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
	void theIndexerReadsTheOldestRecallTasksAlongTheQueueIndexNeverSortingTheQueue() {
		TestDatabases.Tables tables = TestDatabases.POSTGRESQL.createTables();
		try {
			JdbcChatMemoryStore store = new JdbcChatMemoryStore(tables.dataSource(), tables.settings(0),
					java.time.Clock.systemUTC());
			JdbcTemplate jdbc = new JdbcTemplate(tables.dataSource());
			jdbc.update("INSERT INTO " + tables.prefix() + "recall_task (session_id, stamp, from_seq, rebuild, "
					+ "queued_at) SELECT 's-' || i, i, 1, 0, i % 1000 FROM generate_series(1, 20000) AS i");
			jdbc.execute("ANALYZE " + tables.prefix() + "recall_task");
			String plan = plan(jdbc, store.recallTasksSql().replace("?", "100"));
			assertThat(plan).contains("Index Scan using " + tables.prefix() + "recall_task_queued")
				.doesNotContain("Sort")
				.doesNotContain("Seq Scan");
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

	@Test
	void anImportWhoseNewSessionIsCreatedAndDeletedByOthersMeanwhileStillWritesItsSession() throws Exception {
		// PostgreSQL's ON CONFLICT DO NOTHING locks nothing: a session another writer creates
		// before the import's insert can be deleted before the import locks it
		TestDatabases.Tables tables = TestDatabases.POSTGRESQL.createTables();
		ExecutorService others = Executors.newSingleThreadExecutor();
		try {
			JdbcChatMemoryStore other = new JdbcChatMemoryStore(tables.dataSource(), tables.settings(0),
					java.time.Clock.systemUTC());
			AtomicInteger inserts = new AtomicInteger();
			AtomicInteger locks = new AtomicInteger();
			StatementHookDataSource hooked = new StatementHookDataSource(tables.dataSource(), (sql, connection) -> {
				Runnable change = null;
				if (sql.startsWith("INSERT INTO " + tables.prefix() + "session ") && inserts.incrementAndGet() == 1) {
					change = () -> other.createSession("raced", "bob", "", Map.of());
				}
				else if (sql.contains(tables.prefix() + "session WHERE id = ? FOR UPDATE")
						&& locks.incrementAndGet() == 2) {
					change = () -> other.deleteSession("raced", null);
				}
				if (change != null) {
					try {
						others.submit(change).get(10, TimeUnit.SECONDS);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}
			});
			JdbcChatMemoryStore importer = new JdbcChatMemoryStore(hooked, tables.settings(0),
					java.time.Clock.systemUTC());
			Instant now = Instant.now();
			List<StoredMessage> messages = List.of(
					new StoredMessage("m-1", "raced", 1, MessageRole.USER, "one", Map.of(), null, List.of(), List.of(),
							now),
					new StoredMessage("m-2", "raced", 2, MessageRole.ASSISTANT, "two", Map.of(), null, List.of(),
							List.of(), now));
			ChatSession imported = importer.importSession(
					new ChatSession("raced", "ada", "", Map.of(), true, now, now, 0), messages, true, null);
			assertThat(locks).as("the import met the creation and the deletion").hasValueGreaterThanOrEqualTo(2);
			assertThat(imported.messageCount()).isEqualTo(2);
			assertThat(other.findSession("raced")).as("the imported session, not messages without one")
				.hasValueSatisfying((session) -> {
					assertThat(session.userId()).isEqualTo("ada");
					assertThat(session.messageCount()).isEqualTo(2);
				});
			assertThat(other.readMessages("raced", MessageQuery.latest(10))).extracting(StoredMessage::id)
				.containsExactly("m-1", "m-2");
		}
		finally {
			others.shutdownNow();
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
