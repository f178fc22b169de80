package io.github.chatmemory.store;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ResilientChatMemoryStore} and {@link StoreFailures}: which failures
 * become {@link ChatMemoryUnavailableException}, and which calls are tried again.
 */
class ResilientChatMemoryStoreTests {

	private final InMemoryChatMemoryStore memory = new InMemoryChatMemoryStore(100, 100, Clock.systemUTC());

	@ParameterizedTest
	@ValueSource(strings = { "LOADING Redis is loading the dataset in memory", "BUSY Redis is busy running a script",
			"READONLY You can't write against a read only replica.", "MASTERDOWN Link with MASTER is down",
			"CLUSTERDOWN Hash slot not served", "TRYAGAIN Multiple keys request during rehashing of slot" })
	void transientRepliesAreUnavailableAndRetriedForAppends(String reply) {
		FailingStore failing = new FailingStore(this.memory, 2,
				() -> new RedisSystemException("Error in execution", new RedisCommandExecutionException(reply)));
		ResilientChatMemoryStore store = new ResilientChatMemoryStore(failing);
		List<StoredMessage> stored = store.append("s", List.of(NewMessage.of(MessageRole.USER, "hi").withId("m")),
				true, null);
		assertThat(stored).hasSize(1);
		assertThat(failing.calls.get()).isEqualTo(3);

		FailingStore alwaysFailing = new FailingStore(this.memory, Integer.MAX_VALUE,
				() -> new RedisSystemException("Error in execution", new RedisCommandExecutionException(reply)));
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> new ResilientChatMemoryStore(alwaysFailing).findSession("s"))
			.withMessageContaining(reply.substring(0, reply.indexOf(' ')));
		assertThat(alwaysFailing.calls.get()).isEqualTo(1 + ResilientChatMemoryStore.MAX_RETRIES);
	}

	@Test
	void anUnavailableMessageNamesNoScriptInternals() {
		FailingStore failing = new FailingStore(this.memory, Integer.MAX_VALUE,
				() -> new RedisSystemException("Error in execution", new RedisCommandExecutionException(
						"OOM command not allowed when used memory > 'maxmemory'. script: 3969ce21, on @user_script:103.")));
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> new ResilientChatMemoryStore(failing).createSession("s", "ada", "", Map.of()))
			.withMessageContaining("OOM command not allowed")
			.withMessageNotContaining("user_script")
			.withMessageNotContaining("3969ce21");
	}

	@Test
	void aConnectionResetMidCommandIsUnavailableAndARepeatableCallIsTriedAgain() {
		FailingStore failing = new FailingStore(this.memory, 1, () -> new RedisSystemException("Redis exception",
				new io.lettuce.core.RedisException(new SocketException("Connection reset"))));
		assertThat(new ResilientChatMemoryStore(failing).findSession("nothing")).isEmpty();
		assertThat(failing.calls.get()).isEqualTo(2);
	}

	@Test
	void writesWhoseRepeatWouldReportAWrongOutcomeAreNotTriedAgain() {
		FailingStore failing = new FailingStore(this.memory, Integer.MAX_VALUE,
				() -> new RedisConnectionFailureException("Connection closed"));
		ResilientChatMemoryStore store = new ResilientChatMemoryStore(failing);
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> store.createSession("s", "ada", "", Map.of()));
		assertThatExceptionOfType(ChatMemoryUnavailableException.class).isThrownBy(() -> store.deleteSession("s", null));
		assertThatExceptionOfType(ChatMemoryUnavailableException.class).isThrownBy(() -> store.clearMessages("s", null));
		assertThat(failing.calls.get()).isEqualTo(3);
	}

	@Test
	void aVersionCheckedUpdateWhoseCommitReplyWasLostIsNotTriedAgain() {
		// the update landed and moved the version; a retry would report a conflict (412)
		// for a write that succeeded, so the caller hears "unavailable" and reads again
		ChatSession session = this.memory.createSession("s", "ada", "old", Map.of());
		AtomicInteger calls = new AtomicInteger();
		ForwardingStore landsThenLosesTheReply = new ForwardingStore(this.memory) {

			@Override
			protected void before() {
			}

			@Override
			public ChatSession updateSession(String id, SessionUpdate update, @Nullable String owner) {
				ChatSession updated = super.updateSession(id, update, owner);
				if (calls.incrementAndGet() <= 2) {
					throw new TransactionSystemException("JDBC commit failed", new SQLException("Connection is closed"));
				}
				return updated;
			}

		};
		ResilientChatMemoryStore store = new ResilientChatMemoryStore(landsThenLosesTheReply);
		assertThatExceptionOfType(ChatMemoryUnavailableException.class).isThrownBy(() -> store.updateSession("s",
				new ChatMemoryStore.SessionUpdate("new", null, session.version()), null));
		assertThat(calls.get()).isOne();
		assertThat(this.memory.findSession("s")).get().extracting(ChatSession::title).isEqualTo("new");

		// without a version it sets the same state twice, so it is tried again
		assertThat(store.updateSession("s", new ChatMemoryStore.SessionUpdate("newer", null), null).title())
			.isEqualTo("newer");
		assertThat(calls.get()).isEqualTo(3);
	}

	@Test
	void timeoutsAreUnavailableButNotTriedAgain() {
		FailingStore failing = new FailingStore(this.memory, Integer.MAX_VALUE, () -> new QueryTimeoutException(
				"Redis command timed out", new RedisCommandTimeoutException("Command timed out after 500 ms")));
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> new ResilientChatMemoryStore(failing).findSession("s"));
		assertThat(failing.calls.get()).isEqualTo(1);
	}

	@Test
	void aPoolTimeoutIsUnavailableButNotTriedAgainThoughItsPoolHadConnectionsRefused() {
		// HikariCP's answer when the database is down: it waited its connection timeout once
		FailingStore failing = new FailingStore(this.memory, Integer.MAX_VALUE,
				() -> new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
						new SQLTransientConnectionException(
								"HikariPool-1 - Connection is not available, request timed out after 1000ms "
										+ "(total=0, active=0, idle=0, waiting=0)",
								"08001", new SQLNonTransientConnectionException(
										"Socket fail to connect to 127.0.0.1. Connection refused", "08000",
										new ConnectException("Connection refused")))));
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> new ResilientChatMemoryStore(failing).append("s",
					List.of(NewMessage.of(MessageRole.USER, "hi").withId("m1")), false, null, null));
		assertThat(failing.calls.get()).isEqualTo(1);
	}

	@Test
	void aTransactionThatGetsNoConnectionFromAFullPoolIsUnavailable() {
		// not a DataAccessException: Spring's transaction manager could not begin
		FailingStore failing = new FailingStore(this.memory, Integer.MAX_VALUE,
				() -> new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
						new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request "
								+ "timed out after 1000ms (total=2, active=2, idle=0, waiting=0)")));
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> new ResilientChatMemoryStore(failing).append("s",
					List.of(NewMessage.of(MessageRole.USER, "hi").withId("m1")), false, null, null))
			.withMessageContaining("Connection is not available");
		assertThat(failing.calls.get()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "HikariCP", "PgJDBC" })
	void aRollbackOnAConnectionTheCrashClosedIsUnavailable(String closedBy) {
		// the database died mid-transaction: the pool closed the broken connection, so the
		// rollback fails too, and Spring reports that instead of the statement's failure;
		// HikariCP says so without a SQL state, PgJDBC with 08003
		SQLException closed = closedBy.equals("HikariCP") ? new SQLException("Connection is closed")
				: new SQLException("This connection has been closed.", "08003");
		FailingStore failing = new FailingStore(this.memory, Integer.MAX_VALUE,
				() -> new TransactionSystemException("JDBC rollback failed", closed));
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> new ResilientChatMemoryStore(failing).createSession("s", "ada", "", Map.of()));
	}

	@Test
	void aCommitThatTheServersShutdownEndedIsUnavailable() {
		// seen when PostgreSQL's postmaster was killed during a commit: the backend ends the
		// connection with 57P01 (operator intervention), which Spring's commit does not translate
		FailingStore failing = new FailingStore(this.memory, Integer.MAX_VALUE,
				() -> new TransactionSystemException("JDBC commit failed",
						new SQLException("FATAL: terminating connection due to unexpected postmaster exit", "57P01")));
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> new ResilientChatMemoryStore(failing).createSession("s", "ada", "", Map.of()));
	}

	@Test
	void programmingErrorsAndCorruptDataAreLeftAsTheyAre() {
		FailingStore failing = new FailingStore(this.memory, Integer.MAX_VALUE,
				() -> new NumberFormatException("For input string: \"x\""));
		assertThatExceptionOfType(NumberFormatException.class)
			.isThrownBy(() -> new ResilientChatMemoryStore(failing).findSession("s"));
		assertThat(failing.calls.get()).isEqualTo(1);
		FailingStore scriptError = new FailingStore(this.memory, Integer.MAX_VALUE,
				() -> new IllegalStateException("ERR user_script:1: Script attempted to access nonexistent global"));
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> new ResilientChatMemoryStore(scriptError).findSession("s"));
	}

	@Test
	void statementsTheDatabaseRefusesAsWrittenAreDefectsNotAnUnavailableStore() {
		// a dropped table or a broken constraint is not cured by waiting: no 503 with Retry-After
		List<Supplier<RuntimeException>> defects = List.of(
				() -> new BadSqlGrammarException("select", "SELECT id FROM chat_memory_session",
						new SQLException("relation \"chat_memory_session\" does not exist", "42P01")),
				() -> new DuplicateKeyException("insert", new SQLException("duplicate key", "23505")),
				() -> new DataIntegrityViolationException("value too long", new SQLException("too long", "22001")));
		for (Supplier<RuntimeException> defect : defects) {
			FailingStore failing = new FailingStore(this.memory, Integer.MAX_VALUE, defect);
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> new ResilientChatMemoryStore(failing).findSession("s"))
				.isNotInstanceOf(ChatMemoryUnavailableException.class);
			assertThat(failing.calls.get()).isEqualTo(1);
		}
	}

	/**
	 * A store that fails a number of times before it delegates.
	 */
	private static final class FailingStore extends ForwardingStore {

		private final int failures;

		private final java.util.function.Supplier<RuntimeException> failure;

		final AtomicInteger calls = new AtomicInteger();

		FailingStore(ChatMemoryStore delegate, int failures, java.util.function.Supplier<RuntimeException> failure) {
			super(delegate);
			this.failures = failures;
			this.failure = failure;
		}

		@Override
		protected void before() {
			if (this.calls.incrementAndGet() <= this.failures) {
				throw this.failure.get();
			}
		}

	}

	/**
	 * A store that calls {@link #before()} and then its delegate, for the calls these
	 * tests make.
	 */
	private abstract static class ForwardingStore implements ChatMemoryStore {

		private final ChatMemoryStore delegate;

		ForwardingStore(ChatMemoryStore delegate) {
			this.delegate = delegate;
		}

		protected abstract void before();

		@Override
		public String type() {
			return this.delegate.type();
		}

		@Override
		public void ping() {
			before();
		}

		@Override
		public ChatSession createSession(String id, String userId, String title, Map<String, Object> metadata) {
			before();
			return this.delegate.createSession(id, userId, title, metadata);
		}

		@Override
		public java.util.Optional<ChatSession> findSession(String id) {
			before();
			return this.delegate.findSession(id);
		}

		@Override
		public ChatSession updateSession(String id, SessionUpdate update, @Nullable String owner) {
			before();
			return this.delegate.updateSession(id, update, owner);
		}

		@Override
		public boolean deleteSession(String id, @Nullable String owner) {
			before();
			return this.delegate.deleteSession(id, owner);
		}

		@Override
		public io.github.chatmemory.VersionedMessages append(String sessionId, List<NewMessage> messages,
				boolean createIfMissing, @Nullable String owner, @Nullable Long expectedVersion) {
			before();
			return this.delegate.append(sessionId, messages, createIfMissing, owner, expectedVersion);
		}

		@Override
		public List<StoredMessage> replaceMessages(String sessionId, List<NewMessage> messages) {
			before();
			return this.delegate.replaceMessages(sessionId, messages);
		}

		@Override
		public io.github.chatmemory.VersionedMessages readVersionedMessages(String sessionId,
				io.github.chatmemory.MessageQuery query) {
			before();
			return this.delegate.readVersionedMessages(sessionId, query);
		}

		@Override
		public java.util.Optional<StoredMessage> findMessage(String sessionId, String messageId) {
			before();
			return this.delegate.findMessage(sessionId, messageId);
		}

		@Override
		public RecentMessages readRecent(String sessionId, int limit, boolean includeMedia) {
			before();
			return this.delegate.readRecent(sessionId, limit, includeMedia);
		}

		@Override
		public void clearMessages(String sessionId, @Nullable String owner) {
			before();
			this.delegate.clearMessages(sessionId, owner);
		}

		@Override
		public io.github.chatmemory.PagedResult<ChatSession> findSessionsByUser(String userId, int page, int size) {
			before();
			return this.delegate.findSessionsByUser(userId, page, size);
		}

		@Override
		public List<String> findSessionIds(int limit) {
			before();
			return this.delegate.findSessionIds(limit);
		}

		@Override
		public ChatSession importSession(ChatSession session, List<StoredMessage> messages,
				List<io.github.chatmemory.StoredSummary> summaries, boolean replaceExisting, @Nullable String owner,
				@Nullable Long expectedVersion) {
			before();
			return this.delegate.importSession(session, messages, summaries, replaceExisting, owner, expectedVersion);
		}

		@Override
		public boolean addBranch(String sessionId, String branchId, java.time.Instant createdAt) {
			before();
			return this.delegate.addBranch(sessionId, branchId, createdAt);
		}

		@Override
		public void removeBranch(String sessionId, String branchId) {
			before();
			this.delegate.removeBranch(sessionId, branchId);
		}

		@Override
		public io.github.chatmemory.PagedResult<ChatSession> findBranches(String sessionId, int page, int size) {
			before();
			return this.delegate.findBranches(sessionId, page, size);
		}

		@Override
		public List<String> findSessionIdsInactiveSince(java.time.Instant cutoff, int limit) {
			before();
			return this.delegate.findSessionIdsInactiveSince(cutoff, limit);
		}

		@Override
		public boolean deleteSessionIfInactiveSince(String id, java.time.Instant cutoff) {
			before();
			return this.delegate.deleteSessionIfInactiveSince(id, cutoff);
		}

		@Override
		public io.github.chatmemory.ChatMemoryStatistics statistics() {
			before();
			return this.delegate.statistics();
		}

		@Override
		public void recordRetentionRun(io.github.chatmemory.RetentionRun run) {
			before();
			this.delegate.recordRetentionRun(run);
		}

	}

}
