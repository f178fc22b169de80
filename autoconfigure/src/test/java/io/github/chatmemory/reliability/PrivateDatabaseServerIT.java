package io.github.chatmemory.reliability;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.chatmemory.test.PrivateDatabaseServer;
import io.github.chatmemory.test.PrivateMariaDb;
import io.github.chatmemory.test.PrivatePostgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The private database servers that the JDBC failure tests use behave as a crashed, a
 * hung and a restarted server do, checked with plain JDBC: a kill ends a running query
 * and refuses connections, committed rows survive a kill and a restart, a paused server
 * leaves a query hanging until the driver's socket timeout ends it, and a resumed one
 * answers again.
 */
class PrivateDatabaseServerIT {

	private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(1);

	/** The socket timeout behind a statement's own query timeout of one second. */
	private static final Duration STATEMENT_TIMEOUT_BACKSTOP = Duration.ofSeconds(3);

	/** What a failure may take beyond the timeout that ends it: thread scheduling on 2 shared cores. */
	private static final Duration MARGIN = Duration.ofMillis(700);

	static Stream<Arguments> servers() {
		return Stream.of(Arguments.of(named("MariaDB", PrivateMariaDb::launch)),
				Arguments.of(named("PostgreSQL", PrivatePostgres::launch)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("servers")
	void killRestartPauseResumeAndStop(Launcher launcher) throws Exception {
		long started = System.nanoTime();
		try (PrivateDatabaseServer server = launcher.launch()) {
			Duration startup = Duration.ofNanos(System.nanoTime() - started);
			String table = "private_server_" + Long.toHexString(System.nanoTime());
			try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, content VARCHAR(100))");
				statement.execute("INSERT INTO " + table + " VALUES (1, 'before the kill'), (2, 'committed too')");
			}

			// a kill in the middle of a query ends it at once and refuses new connections
			Connection victim = server.connect();
			CompletableFuture<Void> longQuery = CompletableFuture.runAsync(() -> {
				try (Statement statement = victim.createStatement()) {
					statement.execute(launcher.sleepFiveSeconds());
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			Thread.sleep(300);
			long killedAt = System.nanoTime();
			server.kill();
			assertThat(longQuery).failsWithin(Duration.ofSeconds(2))
				.withThrowableOfType(ExecutionException.class)
				.havingRootCause()
				.isInstanceOf(IOException.class);
			Duration queryEndedAfterKill = Duration.ofNanos(System.nanoTime() - killedAt);
			victim.close();
			assertThatExceptionOfType(SQLException.class).isThrownBy(server::connect)
				.withStackTraceContaining("Connection refused");

			// committed rows survive the kill
			long restartedAt = System.nanoTime();
			server.start();
			Duration restartAfterKill = Duration.ofNanos(System.nanoTime() - restartedAt);
			assertThat(rows(server, table)).isEqualTo(2);

			// paused: the connection stays open, the query hangs until the socket timeout
			try (Connection connection = DriverManager.getConnection(
					server.jdbcUrl() + server.timeoutOptions(SOCKET_TIMEOUT, SOCKET_TIMEOUT), server.username(), "");
					Statement statement = connection.createStatement()) {
				server.pause();
				long pausedQueryAt = System.nanoTime();
				assertThatExceptionOfType(SQLException.class)
					.isThrownBy(() -> statement.executeQuery("SELECT COUNT(*) FROM " + table));
				Duration pausedQuery = Duration.ofNanos(System.nanoTime() - pausedQueryAt);
				assertThat(pausedQuery).as("a query to the paused server ends with the socket timeout")
					.isGreaterThanOrEqualTo(SOCKET_TIMEOUT.minusMillis(50))
					.isLessThan(SOCKET_TIMEOUT.plus(MARGIN));
				// a new connection to the paused server is accepted by the kernel but never
				// answered: only the driver's connect timeout ends it
				long pausedConnectAt = System.nanoTime();
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> DriverManager
					.getConnection(server.jdbcUrl() + server.timeoutOptions(SOCKET_TIMEOUT, SOCKET_TIMEOUT),
							server.username(), "")
					.close());
				Duration pausedConnect = Duration.ofNanos(System.nanoTime() - pausedConnectAt);
				assertThat(pausedConnect).as("connecting to the paused server ends with the timeouts")
					.isLessThan(SOCKET_TIMEOUT.multipliedBy(2).plus(MARGIN));
				server.resume();
				assertThat(rows(server, table)).as("rows after resume").isEqualTo(2);
				Duration queryTimeoutAlone = queryWithStatementTimeoutWhilePaused(server, table);
				System.out.printf(
						"Private %s: started in %d ms, query ended %d ms after the kill, restarted after the kill in %d ms, "
								+ "paused query failed after %d ms and a connect after %d ms (timeouts %d ms); "
								+ "with a statement query timeout of 1 s and a socket timeout of %d ms, a paused query failed after %d ms%n",
						launcher, startup.toMillis(), queryEndedAfterKill.toMillis(), restartAfterKill.toMillis(),
						pausedQuery.toMillis(), pausedConnect.toMillis(), SOCKET_TIMEOUT.toMillis(),
						STATEMENT_TIMEOUT_BACKSTOP.toMillis(), queryTimeoutAlone.toMillis());
			}

			// a clean stop refuses connections; a start keeps the data
			server.stop();
			assertThatExceptionOfType(SQLException.class).isThrownBy(server::connect)
				.withStackTraceContaining("Connection refused");
			server.restart();
			try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
				statement.execute("INSERT INTO " + table + " VALUES (3, 'after the restart')");
			}
			assertThat(rows(server, table)).isEqualTo(3);
			server.close();
			assertThat(server.directory()).as("removed by close()").doesNotExist();
		}
	}

	/**
	 * Measure what a JDBC statement's own query timeout does against a paused server: the
	 * drivers cancel a query through the server (PostgreSQL with a cancel request on a new
	 * connection, MariaDB with a server-side statement limit), which a hung server never
	 * serves, so only the socket timeout ends the query. The failure tests rely on this.
	 */
	private static Duration queryWithStatementTimeoutWhilePaused(PrivateDatabaseServer server, String table)
			throws SQLException {
		try (Connection connection = DriverManager.getConnection(
				server.jdbcUrl() + server.timeoutOptions(SOCKET_TIMEOUT, STATEMENT_TIMEOUT_BACKSTOP), server.username(),
				"");
				Statement statement = connection.createStatement()) {
			statement.setQueryTimeout(1);
			server.pause();
			long start = System.nanoTime();
			try {
				assertThatExceptionOfType(SQLException.class)
					.isThrownBy(() -> statement.executeQuery("SELECT COUNT(*) FROM " + table));
				Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
				assertThat(elapsed).as("a query with a statement timeout to the paused server ends by the socket timeout")
					.isLessThan(STATEMENT_TIMEOUT_BACKSTOP.plus(MARGIN));
				return elapsed;
			}
			finally {
				server.resume();
			}
		}
	}

	private static int rows(PrivateDatabaseServer server, String table) throws SQLException {
		try (Connection connection = server.connect();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
			result.next();
			return result.getInt(1);
		}
	}

	private static Launcher named(String name, Supplier<PrivateDatabaseServer> launch) {
		String sleep = name.equals("MariaDB") ? "SELECT SLEEP(5)" : "SELECT pg_sleep(5)";
		return new Launcher() {

			@Override
			public PrivateDatabaseServer launch() {
				return launch.get();
			}

			@Override
			public String sleepFiveSeconds() {
				return sleep;
			}

			@Override
			public String toString() {
				return name;
			}

		};
	}

	/**
	 * How to start one kind of server, and its dialect's sleep.
	 */
	interface Launcher {

		PrivateDatabaseServer launch();

		String sleepFiveSeconds();

	}

}
