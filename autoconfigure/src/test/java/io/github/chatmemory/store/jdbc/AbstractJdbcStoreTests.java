package io.github.chatmemory.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.RecallTask;
import io.github.chatmemory.test.MutableClock;
import io.github.chatmemory.test.RowCountingDataSource;
import io.github.chatmemory.test.StatementHookDataSource;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What only the JDBC store does, run against each database by a subclass: what an append
 * and a window read, the schema's creation and checks, table prefixes, column lengths,
 * concurrent writers of one session and the retention lease.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractJdbcStoreTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private TestDatabases.Tables tables;

	private RowCountingDataSource counting;

	private JdbcChatMemoryStore store;

	/**
	 * Return the database under test.
	 * @return the database
	 */
	protected abstract TestDatabases database();

	@BeforeAll
	void createTables() {
		this.tables = database().createTables();
	}

	@AfterAll
	void dropTables() {
		this.tables.drop();
	}

	@BeforeEach
	void createStore() {
		this.tables.empty();
		this.counting = new RowCountingDataSource(this.tables.dataSource());
		this.store = new JdbcChatMemoryStore(this.counting, this.tables.settings(0), this.clock);
	}

	@Test
	void anAppendReadsOnlyTheSessionRowAndItsOwnIdsAndAWindowOnlyTheWindow() {
		appendAndReadAWindowOfALongSession(() -> {
		});
		assertThat(countRecallTasks()).isZero();
	}

	@Test
	void withRecallTasksOnAnAppendStillReadsOnlyTheSessionRowAndItsOwnIds() {
		this.store.enableRecallTasks();
		appendAndReadAWindowOfALongSession(() -> {
			// the import's rebuild, done: the append below queues a task of its own
			RecallTask rebuild = this.store.findRecallTasks(10).get(0);
			assertThat(this.store.completeRecallTask(rebuild, 10_000, true)).isTrue();
		});
		assertThat(this.store.findRecallTasks(10)).singleElement().satisfies((task) -> {
			assertThat(task.sessionId()).isEqualTo("long");
			assertThat(task.rebuild()).isFalse();
			assertThat(task.fromSequence()).isEqualTo(10_001);
		});
	}

	private void appendAndReadAWindowOfALongSession(Runnable afterImport) {
		int history = 10_000;
		List<StoredMessage> messages = new ArrayList<>(history);
		Instant createdAt = this.clock.instant();
		for (int i = 1; i <= history; i++) {
			MessageRole role = (i == 1) ? MessageRole.SYSTEM : (i % 2 == 0) ? MessageRole.USER : MessageRole.ASSISTANT;
			messages.add(new StoredMessage("m-" + i, "long", i, role, "message " + i, Map.of(), null, List.of(),
					List.of(), createdAt));
		}
		this.store.importSession(new ChatSession("long", "ada", "", Map.of(), true, createdAt, createdAt, 0),
				messages, false, null);
		afterImport.run();

		this.counting.reset();
		NewMessage next = new NewMessage("m-next", MessageRole.USER, "one more", Map.of(), "m-" + history, List.of(),
				List.of());
		assertThat(this.store.append("long", List.of(next), false, null)).singleElement()
			.extracting(StoredMessage::sequence)
			.isEqualTo((long) history + 1);
		// the session row, and the answered message's id: nothing of the history
		assertThat(this.counting.rows()).isLessThanOrEqualTo(2);

		this.counting.reset();
		assertThat(this.store.append("long", List.of(next), false, null)).singleElement()
			.extracting(StoredMessage::content)
			.isEqualTo("one more");
		// a retry: the session row, its id and the one it answers, then the stored message
		assertThat(this.counting.rows()).isLessThanOrEqualTo(4);

		this.counting.reset();
		assertThat(this.store.readMessages("long", MessageQuery.latest(20).withoutMedia())).hasSize(20);
		assertThat(this.counting.rows()).isLessThanOrEqualTo(21);

		this.counting.reset();
		ChatMemoryStore.RecentMessages recent = this.store.readRecent("long", 20, false);
		assertThat(recent.messages()).hasSize(20);
		assertThat(recent.messageCount()).isEqualTo(history + 1);
		assertThat(recent.latestSystemMessage().id()).isEqualTo("m-1");
		// the session row, the window and the pinned system message
		assertThat(this.counting.rows()).isLessThanOrEqualTo(22);
	}

	@Test
	void withRecallTasksOffNoWriteTouchesTheRecallQueue() {
		List<String> statements = java.util.Collections.synchronizedList(new ArrayList<>());
		JdbcChatMemoryStore off = new JdbcChatMemoryStore(
				new StatementHookDataSource(this.tables.dataSource(), (sql, connection) -> statements.add(sql)),
				this.tables.settings(0), this.clock);
		off.createSession("s", "ada", "", Map.of());
		off.append("s", List.of(user("m-1")), false, null);
		off.append("s", List.of(user("m-1")), false, null);
		off.append("created", List.of(user("c-1")), true, null);
		off.replaceMessages("s", List.of(user("m-2")));
		off.clearMessages("s", null);
		Instant now = this.clock.instant();
		off.importSession(new ChatSession("imported", "ada", "", Map.of(), true, now, now, 0),
				List.of(new StoredMessage("i-1", "imported", 1, MessageRole.USER, "hi", Map.of(), null, List.of(),
						List.of(), now)),
				false, null);
		off.deleteSession("s", null);
		this.clock.advance(Duration.ofDays(2));
		assertThat(off.deleteSessionIfInactiveSince("created", this.clock.instant())).isTrue();
		assertThat(statements).isNotEmpty().noneMatch((sql) -> sql.contains("recall_"));
		assertThat(countRecallTasks()).isZero();
	}

	/**
	 * Deletes, re-index requests and appends that create the deleted session again race
	 * an indexer: the deleted session has no row to lock, so only the task's own atomic
	 * statement keeps them apart. Once all stop and the queue is drained, the indexer
	 * holds exactly the messages stored, none of a deleted session.
	 */
	@Test
	void deletesRebuildsAndAppendsCreatingTheSessionAgainNeverLoseARebuildOrAMessage() throws Exception {
		this.store.enableRecallTasks();
		int sessions = 3;
		int rounds = 40;
		Map<String, java.util.Set<String>> vectors = new java.util.HashMap<>();
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicBoolean appending = new AtomicBoolean(true);
		java.util.concurrent.atomic.AtomicInteger deleted = new java.util.concurrent.atomic.AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> writers = new ArrayList<>();
			writers.add(executor.submit(() -> {
				try {
					// on until deletes did happen meanwhile: a fast database may finish the rounds first
					for (int r = 0; r < rounds || (deleted.get() <= sessions && r < 100 * rounds); r++) {
						for (int s = 0; s < sessions; s++) {
							this.store.append("race-" + s, List.of(user("a-" + r + "-" + s), user("b-" + r + "-" + s)),
									true, null);
						}
					}
				}
				finally {
					appending.set(false);
				}
				return null;
			}));
			// deletes and re-index requests all along the appends
			writers.add(executor.submit(() -> {
				while (appending.get()) {
					for (int s = 0; s < sessions; s++) {
						if (this.store.deleteSession("race-" + s, null)) {
							deleted.incrementAndGet();
						}
					}
					Thread.sleep(2);
				}
				return null;
			}));
			writers.add(executor.submit(() -> {
				while (appending.get()) {
					// not race-0: only its deletes make its task a rebuild
					for (int s = 1; s < sessions; s++) {
						this.store.queueRecallRebuild("race-" + s);
					}
					Thread.sleep(1);
				}
				return null;
			}));
			Future<?> indexer = executor.submit(() -> {
				while (writing.get()) {
					index(vectors);
				}
				return null;
			});
			for (Future<?> writer : writers) {
				writer.get(2, TimeUnit.MINUTES);
			}
			writing.set(false);
			indexer.get(2, TimeUnit.MINUTES);
		}
		finally {
			executor.shutdownNow();
		}
		for (int pass = 0; pass < 1_000 && this.store.countRecallTasks() > 0; pass++) {
			index(vectors);
		}
		assertThat(this.store.countRecallTasks()).isZero();
		assertThat(deleted).as("sessions deleted while appended to").hasValueGreaterThan(sessions);
		for (int s = 0; s < sessions; s++) {
			String session = "race-" + s;
			List<String> stored = this.store.findSession(session).isPresent() ? this.store
				.readMessages(session, MessageQuery.after(0, 10_000).withoutMedia())
				.stream()
				.map(StoredMessage::id)
				.toList() : List.of();
			assertThat(vectors.getOrDefault(session, java.util.Set.of())).as(session)
				.containsExactlyInAnyOrderElementsOf(stored);
		}
	}

	/**
	 * Bring the indexed ids of each queued session in line as an indexer does, three
	 * messages at a time: a rebuild drops what was indexed of the session first.
	 */
	private void index(Map<String, java.util.Set<String>> vectors) {
		for (RecallTask task : this.store.findRecallTasks(10)) {
			java.util.Set<String> indexed = vectors.computeIfAbsent(task.sessionId(), (id) -> new java.util.HashSet<>());
			if (task.rebuild()) {
				indexed.clear();
			}
			long from = task.rebuild() ? 1 : task.fromSequence();
			List<StoredMessage> page;
			try {
				page = this.store.readMessages(task.sessionId(), MessageQuery.after(from - 1, 3).withoutMedia());
			}
			catch (io.github.chatmemory.SessionNotFoundException ex) {
				page = List.of();
			}
			page.forEach((message) -> indexed.add(message.id()));
			long through = page.isEmpty() ? from - 1 : page.get(page.size() - 1).sequence();
			this.store.completeRecallTask(task, through, page.size() < 3);
		}
	}

	@Test
	void aRebuildOfAllSessionsPagesThroughTheSessionsByPrimaryKey() {
		List<String> statements = java.util.Collections.synchronizedList(new ArrayList<>());
		JdbcChatMemoryStore hooked = new JdbcChatMemoryStore(
				new StatementHookDataSource(this.tables.dataSource(), (sql, connection) -> statements.add(sql)),
				this.tables.settings(0), this.clock);
		int sessions = 1_201;
		JdbcTemplate jdbc = new JdbcTemplate(this.tables.dataSource());
		List<Object[]> rows = new ArrayList<>();
		for (int i = 0; i < sessions; i++) {
			rows.add(new Object[] { "all-" + i });
		}
		jdbc.batchUpdate("INSERT INTO " + this.tables.prefix() + "session (id, user_id, title, metadata, active, "
				+ "created_at, updated_at, version, rewritten_version, last_seq, message_count, system_seq) "
				+ "VALUES (?, 'ada', '', '{}', 1, 0, 0, 1, 0, 0, 0, NULL)", rows);
		assertThat(hooked.queueRecallRebuildOfAllSessions()).isEqualTo(sessions);
		assertThat(hooked.countRecallTasks()).isEqualTo(sessions);
		assertThat(hooked.findRecallTasks(sessions)).hasSize(sessions)
			.allSatisfy((task) -> assertThat(task.rebuild()).isTrue());
		// three pages of at most 500 ids, and the empty one that ends it
		assertThat(statements).filteredOn((sql) -> sql.startsWith("SELECT id FROM ")).hasSize(4);
	}

	@Test
	void aStampNeverRepeatsForASessionEvenAfterItsTaskIsRemovedAndTheStoreStartsAgain() {
		this.store.enableRecallTasks();
		this.store.append("s", List.of(user("m-1")), true, null);
		RecallTask first = this.store.findRecallTasks(10).get(0);
		assertThat(this.store.completeRecallTask(first, 1, true)).isTrue();
		JdbcChatMemoryStore restarted = new JdbcChatMemoryStore(this.tables.dataSource(), this.tables.settings(0),
				this.clock);
		restarted.enableRecallTasks();
		restarted.append("s", List.of(user("m-2")), false, null);
		RecallTask second = restarted.findRecallTasks(10).get(0);
		assertThat(second.stamp()).isGreaterThan(first.stamp());
		// a completion of the first task, retried late, leaves the second
		restarted.completeRecallTask(first, 1, true);
		assertThat(restarted.findRecallTasks(10)).containsExactly(second);
	}

	@Test
	void tablesOfSchemaVersionOneAreUpgradedOnCreateKeepingTheirData() {
		String prefix = TestDatabases.randomPrefix();
		try {
			runScript(versionOneScript(), prefix);
			JdbcSchema schema = new JdbcSchema(this.tables.dataSource(), settings(prefix));
			assertThat(schema.installedVersion()).hasValue(1);
			JdbcChatMemoryStore before = new JdbcChatMemoryStore(this.tables.dataSource(), settings(prefix),
					this.clock);
			before.createSession("kept", "ada", "title", Map.of());
			before.append("kept", List.of(user("m-1")), false, null);

			schema.create();
			assertThat(schema.installedVersion()).hasValue(2);
			schema.check();
			JdbcChatMemoryStore after = new JdbcChatMemoryStore(this.tables.dataSource(), settings(prefix),
					this.clock);
			after.enableRecallTasks();
			assertThat(after.findSession("kept")).hasValueSatisfying((session) -> {
				assertThat(session.title()).isEqualTo("title");
				assertThat(session.messageCount()).isOne();
			});
			after.append("kept", List.of(user("m-2")), false, null);
			assertThat(after.readMessages("kept", MessageQuery.latest(10))).extracting(StoredMessage::id)
				.containsExactly("m-1", "m-2");
			assertThat(after.findRecallTasks(10)).singleElement()
				.satisfies((task) -> assertThat(task.fromSequence()).isEqualTo(2));
			// creating again and the upgrade script again change nothing
			schema.create();
			runScript(upgradeScript(), prefix);
			assertThat(schema.installedVersion()).hasValue(2);
			assertThat(after.countRecallTasks()).isOne();
		}
		finally {
			TestDatabases.dropTables(this.tables.dataSource(), prefix);
		}
	}

	@Test
	void tablesOfSchemaVersionOneAreRefusedByTheCheckNamingTheUpgradeScript() {
		String prefix = TestDatabases.randomPrefix();
		try {
			runScript(versionOneScript(), prefix);
			JdbcSchema schema = new JdbcSchema(this.tables.dataSource(), settings(prefix));
			String upgrade = "classpath:io/github/chatmemory/store/jdbc/upgrade-1-to-2-"
					+ database().dialect().platform() + ".sql";
			assertThat(schema.upgradeScriptLocation(1)).isEqualTo(upgrade);
			assertThatExceptionOfType(JdbcSchemaException.class).isThrownBy(schema::check)
				.withMessageContaining("are at schema version 1; this release needs version 2")
				.withMessageContaining("chat-memory.jdbc.initialize-schema=always")
				.withMessageContaining(upgrade + " with table_prefix=" + prefix)
				.satisfies((ex) -> assertThat(ex.getScript()).isEqualTo(upgrade));
			assertThat(schema.installedVersion()).as("a check changes nothing").hasValue(1);
			// what a Flyway or Liquibase user does: the upgrade script as the next migration
			runScript(upgradeScript(), prefix);
			schema.check();
			assertThat(schema.installedVersion()).hasValue(2);
		}
		finally {
			TestDatabases.dropTables(this.tables.dataSource(), prefix);
		}
	}

	private String versionOneScript() {
		// the script of schema version 1 as released (git a79bb92)
		return "io/github/chatmemory/store/jdbc/v1/schema-" + database().dialect().platform() + ".sql";
	}

	private String upgradeScript() {
		return "io/github/chatmemory/store/jdbc/upgrade-1-to-2-" + database().dialect().platform() + ".sql";
	}

	private void runScript(String location, String prefix) {
		try {
			String script = new ClassPathResource(location).getContentAsString(StandardCharsets.UTF_8)
				.replace("${table_prefix}", prefix);
			new ResourceDatabasePopulator(new ByteArrayResource(script.getBytes(StandardCharsets.UTF_8), location))
				.execute(this.tables.dataSource());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private long countRecallTasks() {
		return new JdbcTemplate(this.tables.dataSource())
			.queryForObject("SELECT COUNT(*) FROM " + this.tables.prefix() + "recall_task", Long.class);
	}

	@Test
	void creatingTheSchemaAgainChangesNothing() {
		String prefix = TestDatabases.randomPrefix();
		JdbcSchema schema = new JdbcSchema(this.tables.dataSource(), settings(prefix));
		try {
			schema.create();
			JdbcChatMemoryStore store = new JdbcChatMemoryStore(this.tables.dataSource(), settings(prefix),
					this.clock);
			store.createSession("kept", "ada", "", Map.of());
			schema.create();
			schema.check();
			assertThat(schema.installedVersion()).hasValue(JdbcSchema.VERSION);
			assertThat(store.findSession("kept")).isPresent();
		}
		finally {
			TestDatabases.dropTables(this.tables.dataSource(), prefix);
		}
	}

	@Test
	void tablesCreatedFromTheScriptByAnotherToolPassTheCheck() throws Exception {
		// what README tells Flyway and Liquibase users: copy the script into a migration,
		// let the tool replace ${table_prefix}, set initialize-schema=never
		String prefix = TestDatabases.randomPrefix();
		String location = "io/github/chatmemory/store/jdbc/schema-" + database().dialect().platform() + ".sql";
		String script = new ClassPathResource(location).getContentAsString(StandardCharsets.UTF_8)
			.replace("${table_prefix}", prefix);
		ResourceDatabasePopulator migration = new ResourceDatabasePopulator(
				new ByteArrayResource(script.getBytes(StandardCharsets.UTF_8), location));
		try {
			migration.execute(this.tables.dataSource());
			JdbcSchema schema = new JdbcSchema(this.tables.dataSource(), settings(prefix));
			assertThat(schema.installedVersion()).hasValue(JdbcSchema.VERSION);
			schema.check();
			// the script is re-runnable, as a repeatable migration or a second tool run
			migration.execute(this.tables.dataSource());
			assertThat(new JdbcTemplate(this.tables.dataSource())
				.queryForObject("SELECT COUNT(*) FROM " + prefix + "store_info", Integer.class)).isOne();
		}
		finally {
			TestDatabases.dropTables(this.tables.dataSource(), prefix);
		}
	}

	@Test
	void missingTablesAreReportedWithWhatToDo() {
		String prefix = TestDatabases.randomPrefix();
		JdbcSchema schema = new JdbcSchema(this.tables.dataSource(), settings(prefix));
		assertThat(schema.installedVersion()).isEmpty();
		assertThatExceptionOfType(JdbcSchemaException.class).isThrownBy(schema::check)
			.withMessageContaining("prefix '" + prefix + "' are missing")
			.withMessageContaining("chat-memory.jdbc.initialize-schema=always")
			.withMessageContaining("classpath:io/github/chatmemory/store/jdbc/schema-" + database().dialect().platform()
					+ ".sql with table_prefix=" + prefix);
	}

	@Test
	void tablesOfALaterReleaseAreRefused() {
		String prefix = TestDatabases.randomPrefix();
		JdbcSchema schema = new JdbcSchema(this.tables.dataSource(), settings(prefix));
		try {
			schema.create();
			new JdbcTemplate(this.tables.dataSource())
				.update("UPDATE " + prefix + "store_info SET info_value = '3' WHERE name = 'schema_version'");
			assertThatExceptionOfType(JdbcSchemaException.class).isThrownBy(schema::check)
				.withMessageContaining("schema version 3, written by a later release");
			// creating the schema again never writes an older version over a newer one
			schema.create();
			assertThat(schema.installedVersion()).hasValue(3);
		}
		finally {
			TestDatabases.dropTables(this.tables.dataSource(), prefix);
		}
	}

	@Test
	void storesUnderTwoPrefixesInOneDatabaseAreIndependent() {
		TestDatabases.Tables other = database().createTables();
		try {
			JdbcChatMemoryStore second = new JdbcChatMemoryStore(other.dataSource(), other.settings(0), this.clock);
			this.store.createSession("same", "ada", "first", Map.of());
			second.createSession("same", "bob", "second", Map.of());
			this.store.append("same", List.of(NewMessage.of(MessageRole.USER, "to the first").withId("m-1")), false,
					null);
			assertThat(second.findSession("same").orElseThrow().title()).isEqualTo("second");
			assertThat(second.readMessages("same", MessageQuery.latest(10))).isEmpty();
			assertThat(second.statistics().messages()).isZero();
			assertThat(this.store.deleteSession("same", null)).isTrue();
			assertThat(second.findSession("same")).isPresent();
			assertThat(second.findSessionsByUser("bob", 0, 10).items()).extracting(ChatSession::id)
				.containsExactly("same");
		}
		finally {
			other.drop();
		}
	}

	@Test
	void valuesLongerThanTheirColumnsAreRefusedNamingTheFieldAndNothingIsStored() {
		String tooLong = "x".repeat(JdbcChatMemoryStore.MAX_ID_LENGTH + 1);
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.store.createSession(tooLong, "ada", "", Map.of()))
			.withMessageContaining("id");
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.store.createSession("s-1", tooLong, "", Map.of()))
			.withMessageContaining("userId");
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.store.createSession("s-1", "ada", "t".repeat(1001), Map.of()))
			.withMessageContaining("title");
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.store.append("s-1",
					List.of(NewMessage.of(MessageRole.USER, "fine").withId("m-1"),
							NewMessage.of(MessageRole.USER, "too long").withId(tooLong)),
					true, null))
			.withMessageContaining("messages[1].id");
		assertThat(this.store.statistics().sessions()).isZero();

		// as long as the column is fine, in any script
		String longest = "\u0e01".repeat(JdbcChatMemoryStore.MAX_ID_LENGTH);
		this.store.createSession(longest, longest, "t".repeat(1000), Map.of());
		this.store.append(longest, List.of(NewMessage.of(MessageRole.USER, "hi").withId(longest)), false, null);
		assertThat(this.store.findMessage(longest, longest)).isPresent();
	}

	@Test
	void concurrentWritersOfOneNewSessionStoreEveryMessageOnceInEachWritersOrder() throws Exception {
		int writers = 8;
		int perWriter = 40;
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int w = 0; w < writers; w++) {
			int writer = w;
			futures.add(executor.submit(() -> {
				start.await();
				for (int i = 0; i < perWriter; i++) {
					// every writer may be the one that creates the session
					this.store.append("hot",
							List.of(NewMessage.of(MessageRole.USER, writer + ":" + i).withId(writer + "-" + i)), true,
							null);
				}
				return null;
			}));
		}
		start.countDown();
		try {
			for (Future<?> future : futures) {
				future.get(2, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		List<StoredMessage> all = this.store.readMessages("hot", MessageQuery.after(0, writers * perWriter + 1));
		assertThat(all).hasSize(writers * perWriter);
		assertThat(all).extracting(StoredMessage::sequence)
			.containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, writers * perWriter).boxed().toList());
		int[] next = new int[writers];
		for (StoredMessage message : all) {
			String[] parts = message.content().split(":");
			int writer = Integer.parseInt(parts[0]);
			assertThat(Integer.parseInt(parts[1])).isEqualTo(next[writer]++);
		}
		assertThat(this.store.findSession("hot").orElseThrow().messageCount()).isEqualTo(writers * perWriter);
		assertThat(this.store.findSession("hot").orElseThrow().version()).isEqualTo(writers * perWriter);
	}

	@Test
	void theRetentionLeaseLetsOneHolderAtATimeAndOutlivesNoCrashedHolder() {
		MutableClock later = new MutableClock(Instant.now());
		JdbcRetentionLock first = new JdbcRetentionLock(this.tables.dataSource(), this.tables.settings(0),
				Duration.ofMinutes(10));
		JdbcRetentionLock second = new JdbcRetentionLock(this.tables.dataSource(), this.tables.settings(0),
				Duration.ofMinutes(10), later);
		AtomicBoolean secondRan = new AtomicBoolean();
		AtomicBoolean tookOver = new AtomicBoolean();
		assertThat(first.runExclusively(() -> {
			secondRan.set(second.runExclusively(() -> {
			}));
			// a holder that never released it (crashed) keeps the others out only for the lease
			later.advance(Duration.ofMinutes(11));
			tookOver.set(second.runExclusively(() -> {
			}));
		})).isTrue();
		assertThat(secondRan).isFalse();
		assertThat(tookOver).isTrue();
		assertThat(new JdbcRetentionLock(this.tables.dataSource(), this.tables.settings(0), Duration.ofMinutes(10))
			.runExclusively(() -> {
			})).isTrue();
	}

	@Test
	void aContextWindowReadWhileAnotherWriterReplacesTheHistoryCountsTheMessagesItReturns() {
		this.store.append("window", List.of(user("m-1"), user("m-2"), user("m-3")), true, null);
		AtomicBoolean replaced = new AtomicBoolean();
		// between the session row and the window, as a MessageWindowChatMemory of another
		// request re-saves the conversation; on the reader's own connection, which is between
		// statements, so that it also works with SQLite's single in-memory connection
		StatementHookDataSource hooked = new StatementHookDataSource(this.tables.dataSource(), (sql, connection) -> {
			if (sql.contains(" AND seq <= ?") && replaced.compareAndSet(false, true)) {
				new JdbcChatMemoryStore(new SingleConnectionDataSource(connection, true), this.tables.settings(0),
						this.clock)
					.replaceMessages("window", List.of(user("n-1"), user("n-2")));
			}
		});
		JdbcChatMemoryStore reader = new JdbcChatMemoryStore(hooked, this.tables.settings(0), this.clock);
		ChatMemoryStore.RecentMessages recent = reader.readRecent("window", 10, false);
		assertThat(replaced).isTrue();
		assertThat(recent.messages()).extracting(StoredMessage::id).containsExactly("n-1", "n-2");
		assertThat(recent.messageCount()).isEqualTo(2);
	}

	@Test
	void aDatabaseThatCannotBeReachedIsNotReportedAsMissingTables() {
		DataSource unreachable = new DelegatingDataSource(this.tables.dataSource()) {

			@Override
			public Connection getConnection() throws SQLException {
				// what HikariCP says when the database does not answer
				throw new SQLTransientConnectionException("chat-memory - Connection is not available, request timed "
						+ "out after 10000ms");
			}

		};
		JdbcSchema schema = new JdbcSchema(unreachable, this.tables.settings(0));
		// "set initialize-schema=always or run the script" would send the operator the wrong way
		assertThatExceptionOfType(DataAccessResourceFailureException.class).isThrownBy(schema::check)
			.havingRootCause()
			.withMessageContaining("Connection is not available");
	}

	@Test
	void idsThatDifferOnlyInTrailingSpacesAreDifferentSessionsUsersAndMessages() {
		// the default id pattern refuses spaces, chat-memory.validation.id-pattern may allow
		// them; MariaDB's and MySQL's PAD SPACE collations compared 'a' and 'a ' as equal
		this.store.createSession("same", "ada", "", Map.of());
		this.store.createSession("same ", "ada ", "", Map.of());
		this.store.append("same", List.of(user("m"), user("m ")), false, null);
		assertThat(this.store.findSession("same ").orElseThrow().userId()).isEqualTo("ada ");
		assertThat(this.store.findSessionsByUser("ada", 0, 10).items()).extracting(ChatSession::id)
			.containsExactly("same");
		assertThat(this.store.readMessages("same", MessageQuery.latest(10))).extracting(StoredMessage::id)
			.containsExactly("m", "m ");
		assertThat(this.store.findMessage("same", "m ")).hasValueSatisfying(
				(message) -> assertThat(message.content()).isEqualTo("text of m "));
	}

	@Test
	void pingAnswers() {
		this.store.ping();
		assertThat(this.store.type()).isEqualTo("jdbc");
		assertThat(JdbcDialect.detect(this.tables.dataSource())).isEqualTo(database().dialect());
	}

	private static NewMessage user(String id) {
		return NewMessage.of(MessageRole.USER, "text of " + id).withId(id);
	}

	private JdbcStoreSettings settings(String prefix) {
		return new JdbcStoreSettings(prefix, database().dialect(), Duration.ofSeconds(10));
	}

}
