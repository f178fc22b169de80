package io.github.chatmemory.reliability;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.test.PrivateDatabaseServer;
import io.github.chatmemory.test.RecordingHttpClient;
import io.github.chatmemory.test.RecordingHttpClient.Exchange;
import io.github.chatmemory.test.TestDatabases;
import io.github.chatmemory.web.RestTestApplication;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API on the JDBC store, on a real server port, while its private database
 * server is killed ({@code SIGKILL}), paused ({@code SIGSTOP}, a server that hangs
 * instead of refusing) or has no free connection in the application's pool: every failure
 * is a 503 problem with {@code Retry-After} that comes within HikariCP's connection
 * timeout plus the store's query timeout (a pool timeout is not retried), never a 500 or
 * a hang; health says DOWN within its own timeout and UP again after the restart without
 * restarting the application; and after the restart writes work and every acknowledged
 * message is stored once, every batch whole or not at all. Subclasses run it on MariaDB
 * and PostgreSQL.
 */
@SpringBootTest(classes = RestTestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
abstract class JdbcStoreFailureIT {

	/** HikariCP's connection timeout: the longest a request waits for a pooled connection. */
	static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);

	/** The store's query timeout ({@code chat-memory.jdbc.query-timeout}). */
	static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);

	/** The health indicator's timeout. */
	static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * The driver's socket timeout, only there so that a defect shows as a slow answer
	 * rather than a test that never ends: the store's own timeouts must come first.
	 */
	static final Duration SOCKET_BACKSTOP = Duration.ofSeconds(20);

	/** What an answer may take beyond its timeouts: thread scheduling on 2 shared cores. */
	private static final Duration MARGIN = Duration.ofMillis(700);

	private static final int POOL_SIZE = 2;

	private static final int REST_WRITERS = 3;

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern SEQUENCE = Pattern.compile("\"sequence\"\\s*:\\s*(\\d+)");

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@Autowired
	DataSource dataSource;

	/**
	 * The private server the application's DataSource points at.
	 * @return the server
	 */
	abstract PrivateDatabaseServer server();

	/**
	 * Point the application at a private server with a small pool and short timeouts,
	 * the JDBC store under a table prefix of its own, and the REST API on.
	 * @param registry the registry
	 * @param server the server
	 */
	static void jdbcProperties(DynamicPropertyRegistry registry, PrivateDatabaseServer server) {
		registry.add("spring.datasource.url",
				() -> server.jdbcUrl() + server.timeoutOptions(CONNECTION_TIMEOUT, SOCKET_BACKSTOP));
		registry.add("spring.datasource.username", server::username);
		registry.add("spring.datasource.password", () -> "");
		registry.add("spring.datasource.hikari.maximum-pool-size", () -> POOL_SIZE);
		registry.add("spring.datasource.hikari.connection-timeout", () -> CONNECTION_TIMEOUT.toMillis());
		registry.add("spring.datasource.hikari.validation-timeout", () -> 500);
		registry.add("chat-memory.store", () -> "jdbc");
		registry.add("chat-memory.jdbc.table-prefix", TestDatabases::randomPrefix);
		registry.add("chat-memory.jdbc.initialize-schema", () -> "always");
		registry.add("chat-memory.jdbc.query-timeout", () -> QUERY_TIMEOUT.toMillis() + "ms");
		registry.add("management.health.chatmemory.timeout", () -> HEALTH_TIMEOUT.toMillis() + "ms");
		registry.add("chat-memory.web.enabled", () -> "true");
	}

	@Test
	void killedDatabaseGivesOnly503sWithinTheTimeoutsAndLosesNoAcknowledgedWrite() throws Exception {
		RecordingHttpClient http = new RecordingHttpClient(this.port, "ada", "secret");
		RecordingHttpClient probe = new RecordingHttpClient(this.port, "ada", "secret");
		List<String> sessions = new ArrayList<>();
		for (int writer = 0; writer < REST_WRITERS; writer++) {
			sessions.add(createSession("kill-rest-" + writer));
		}
		String batchSession = createSession("kill-batches");
		AtomicBoolean stop = new AtomicBoolean();
		Map<Integer, List<Acknowledged>> acknowledged = new ConcurrentHashMap<>();
		Map<Integer, List<String>> acknowledgedBatches = new ConcurrentHashMap<>();
		Queue<String> unexpected = new ConcurrentLinkedQueue<>();
		ExecutorService executor = Executors.newFixedThreadPool(REST_WRITERS + 1);
		long killedAt;
		long restartedAt;
		List<Exchange> healthWhileDown = new ArrayList<>();
		try {
			List<Future<?>> writers = new ArrayList<>();
			for (int w = 0; w < REST_WRITERS; w++) {
				int writer = w;
				writers.add(executor.submit(() -> writeOverRest(http, writer, sessions.get(writer), stop, acknowledged)));
			}
			writers.add(executor.submit(() -> writeBatches(batchSession, stop, acknowledgedBatches, unexpected)));
			Thread.sleep(700);
			killedAt = System.nanoTime();
			server().kill();
			long downUntil = System.nanoTime() + Duration.ofMillis(2500).toNanos();
			while (System.nanoTime() < downUntil) {
				healthWhileDown.add(probe.send("GET", "/health", null, Map.of()));
			}
			server().start();
			restartedAt = System.nanoTime();
			UnavailableChecks.await("health UP after the restart",
					() -> probe.send("GET", "/health", null, Map.of()).status() == 200);
			Thread.sleep(1000);
			stop.set(true);
			for (Future<?> writer : writers) {
				writer.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			stop.set(true);
			executor.shutdownNow();
		}
		List<Exchange> load = http.exchanges();
		List<Exchange> afterRecovery = new ArrayList<>();
		for (String session : sessions) {
			afterRecovery.add(http.send("POST", "/sessions/" + session + "/messages",
					"{\"role\":\"user\",\"content\":\"after recovery\"}", Map.of("Idempotency-Key", "after")));
		}
		Map<Integer, Long> byStatus = new TreeMap<>();
		load.forEach((exchange) -> byStatus.merge(exchange.status(), 1L, Long::sum));
		long slowest503 = load.stream()
			.filter((exchange) -> exchange.status() == 503)
			.mapToLong((exchange) -> exchange.elapsed().toMillis())
			.max()
			.orElse(0);
		final long killed = killedAt;
		final long restarted = restartedAt;
		List<Exchange> whileDown = load.stream()
			.filter((exchange) -> exchange.startNanos() > killed + Duration.ofMillis(100).toNanos()
					&& exchange.endNanos() < restarted)
			.toList();
		System.out.printf(
				"%s killed under REST load: %d requests by status %s, %d entirely while down, slowest 503 %d ms, "
						+ "slowest while down %d ms, health while down %s in at most %d ms; %d batches acknowledged%n",
				server().getClass().getSimpleName(), load.size(), byStatus, whileDown.size(), slowest503,
				whileDown.stream().mapToLong((exchange) -> exchange.elapsed().toMillis()).max().orElse(0),
				healthWhileDown.stream().map(Exchange::status).distinct().toList(),
				healthWhileDown.stream().mapToLong((exchange) -> exchange.elapsed().toMillis()).max().orElse(0),
				acknowledgedBatches.values().stream().mapToInt(List::size).sum());

		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(unexpected).as("failures of the batch writer other than an unavailable store").isEmpty();
		softly.assertThat(load).as("answers other than 201 and 503")
			.filteredOn((exchange) -> exchange.status() != 201 && exchange.status() != 503)
			.extracting(Exchange::describe)
			.isEmpty();
		softly.assertThat(whileDown).as("requests while the database was down").isNotEmpty();
		softly.assertThat(load).filteredOn((exchange) -> exchange.status() == 503).allSatisfy((exchange) -> {
			assertUnavailableProblem(exchange);
			assertThat(exchange.elapsed()).as(exchange.describe())
				.isLessThanOrEqualTo(CONNECTION_TIMEOUT.plus(QUERY_TIMEOUT).plus(MARGIN));
		});
		// with the server gone, a request waits once for the pool's connection timeout:
		// a retried pool timeout would take two or three times as long
		softly.assertThat(whileDown).allSatisfy((exchange) -> {
			assertThat(exchange.status()).as(exchange.describe()).isEqualTo(503);
			assertThat(exchange.elapsed()).as(exchange.describe()).isLessThan(CONNECTION_TIMEOUT.plus(MARGIN));
		});
		softly.assertThat(healthWhileDown).as("health while the database was down").isNotEmpty();
		softly.assertThat(healthWhileDown).allSatisfy((exchange) -> {
			assertThat(exchange.status()).as(exchange.describe()).isEqualTo(503);
			assertThat(exchange.body()).as(exchange.describe()).contains("DOWN");
			assertThat(exchange.elapsed()).as(exchange.describe()).isLessThan(HEALTH_TIMEOUT.plus(MARGIN));
		});
		for (int writer = 0; writer < REST_WRITERS; writer++) {
			assertAcknowledgedStoredOnceInOrder(softly, sessions.get(writer),
					acknowledged.getOrDefault(writer, List.of()), restarted);
		}
		assertBatchesWhole(softly, batchSession, acknowledgedBatches.getOrDefault(0, List.of()));
		softly.assertThat(afterRecovery).extracting(Exchange::status).as("appends after recovery").containsOnly(201);
		softly.assertAll();
	}

	@Test
	void pausedDatabaseGives503WithinTheTimeoutsAndHealthAnswersWithinItsOwn() throws Exception {
		RecordingHttpClient http = new RecordingHttpClient(this.port, "ada", "secret");
		String session = createSession("paused");
		assertThat(http.send("POST", "/sessions/" + session + "/messages",
				"{\"role\":\"user\",\"content\":\"before the pause\"}", Map.of("Idempotency-Key", "before"))
			.status()).isEqualTo(201);
		List<Exchange> whilePaused = new ArrayList<>();
		List<Exchange> healthWhilePaused = new ArrayList<>();
		server().pause();
		try {
			whilePaused.add(http.send("POST", "/sessions/" + session + "/messages",
					"{\"role\":\"user\",\"content\":\"while paused 1\"}", Map.of("Idempotency-Key", "paused-1")));
			healthWhilePaused.add(http.send("GET", "/health", null, Map.of()));
			whilePaused.add(http.send("GET", "/sessions/" + session + "/messages?limit=5", null, Map.of()));
			whilePaused.add(http.send("POST", "/sessions/" + session + "/messages",
					"{\"role\":\"user\",\"content\":\"while paused 2\"}", Map.of("Idempotency-Key", "paused-2")));
			healthWhilePaused.add(http.send("GET", "/health", null, Map.of()));
		}
		finally {
			server().resume();
		}
		long resumedAt = System.nanoTime();
		UnavailableChecks.await("health UP after the resume",
				() -> http.send("GET", "/health", null, Map.of()).status() == 200);
		Duration upAgainAfter = Duration.ofNanos(System.nanoTime() - resumedAt);
		Exchange retry = http.send("POST", "/sessions/" + session + "/messages",
				"{\"role\":\"user\",\"content\":\"while paused 1\"}", Map.of("Idempotency-Key", "paused-1"));
		System.out.printf("%s paused: requests %s, health %s; UP again %d ms after the resume%n",
				server().getClass().getSimpleName(),
				whilePaused.stream().map((exchange) -> exchange.status() + " in " + exchange.elapsed().toMillis() + " ms")
					.toList(),
				healthWhilePaused.stream()
					.map((exchange) -> exchange.status() + " in " + exchange.elapsed().toMillis() + " ms")
					.toList(),
				upAgainAfter.toMillis());

		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(whilePaused).allSatisfy((exchange) -> {
			assertThat(exchange.status()).as(exchange.describe()).isEqualTo(503);
			assertUnavailableProblem(exchange);
			assertThat(exchange.elapsed()).as(exchange.describe())
				.isLessThanOrEqualTo(CONNECTION_TIMEOUT.plus(QUERY_TIMEOUT).plus(MARGIN));
		});
		softly.assertThat(healthWhilePaused).allSatisfy((exchange) -> {
			assertThat(exchange.status()).as(exchange.describe()).isEqualTo(503);
			assertThat(exchange.elapsed()).as(exchange.describe()).isLessThan(HEALTH_TIMEOUT.plus(MARGIN));
		});
		softly.assertThat(retry.status()).as(retry.describe()).isEqualTo(201);
		List<StoredMessage> stored = this.manager.getAllMessages(session);
		softly.assertThat(stored).extracting(StoredMessage::content)
			.as("an append whose outcome the 503 left open is stored once after its retry")
			.containsOnlyOnce("while paused 1");
		// the other one's statement may still have reached the server and run after the
		// resume, as a 503 leaves the outcome open, but never twice
		softly.assertThat(stored).extracting(StoredMessage::content)
			.filteredOn("while paused 2"::equals)
			.as("the append that was not retried")
			.hasSizeLessThanOrEqualTo(1);
		softly.assertThat(this.manager.getSession(session).messageCount()).isEqualTo(stored.size());
		softly.assertAll();
	}

	@Test
	void exhaustedPoolGives503WithinTheConnectionTimeoutWithoutRetry() throws Exception {
		RecordingHttpClient http = new RecordingHttpClient(this.port, "ada", "secret");
		String session = createSession("exhausted");
		List<Exchange> whileExhausted = new ArrayList<>();
		List<Connection> held = new ArrayList<>();
		try {
			for (int i = 0; i < POOL_SIZE; i++) {
				held.add(this.dataSource.getConnection());
			}
			whileExhausted.add(http.send("POST", "/sessions/" + session + "/messages",
					"{\"role\":\"user\",\"content\":\"no connection\"}", Map.of("Idempotency-Key", "exhausted-1")));
			whileExhausted.add(http.send("GET", "/sessions/" + session + "/messages?limit=5", null, Map.of()));
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
		Exchange after = http.send("POST", "/sessions/" + session + "/messages",
				"{\"role\":\"user\",\"content\":\"a connection again\"}", Map.of("Idempotency-Key", "exhausted-2"));
		System.out.printf("%s pool exhausted: %s; then %d%n", server().getClass().getSimpleName(),
				whileExhausted.stream()
					.map((exchange) -> exchange.status() + " in " + exchange.elapsed().toMillis() + " ms")
					.toList(),
				after.status());

		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(whileExhausted).allSatisfy((exchange) -> {
			assertThat(exchange.status()).as(exchange.describe()).isEqualTo(503);
			assertUnavailableProblem(exchange);
			// it waited for the pool, once: a retried pool timeout would take 2 or 3 times as long
			assertThat(exchange.elapsed()).as(exchange.describe())
				.isGreaterThanOrEqualTo(CONNECTION_TIMEOUT.minusMillis(50))
				.isLessThan(CONNECTION_TIMEOUT.plus(MARGIN));
		});
		softly.assertThat(after.status()).as(after.describe()).isEqualTo(201);
		softly.assertThat(this.manager.getAllMessages(session)).extracting(StoredMessage::content)
			.as("the refused append wrote nothing")
			.containsExactly("a connection again");
		softly.assertAll();
	}

	private String createSession(String id) {
		return this.manager.createSession(new NewSession(id, "ada", null, Map.of())).id();
	}

	private static void assertUnavailableProblem(Exchange exchange) {
		assertThat(exchange.headers().firstValue("Content-Type")).as(exchange.describe())
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(exchange.headers().firstValue("Retry-After")).as(exchange.describe()).isPresent();
	}

	/**
	 * Every append the API acknowledged is stored once with the sequence it was
	 * acknowledged with, in the order acknowledged, the count matches the rows, and the
	 * writer got appends through after the restart.
	 */
	private void assertAcknowledgedStoredOnceInOrder(SoftAssertions softly, String session,
			List<Acknowledged> appends, long restartedAt) {
		List<StoredMessage> messages = this.manager.getAllMessages(session);
		Map<String, Integer> timesStored = new HashMap<>();
		Map<String, Long> sequences = new HashMap<>();
		for (StoredMessage message : messages) {
			timesStored.merge(message.id(), 1, Integer::sum);
			sequences.put(message.id(), message.sequence());
		}
		softly.assertThat(timesStored).as("ids stored more than once in " + session)
			.allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
		long previous = 0;
		for (Acknowledged append : appends) {
			softly.assertThat(sequences.get(append.id())).as("acknowledged %s in %s", append.id(), session)
				.isEqualTo(append.sequence());
			softly.assertThat(append.sequence()).as("order of the acknowledged appends in " + session)
				.isGreaterThan(previous);
			previous = append.sequence();
		}
		softly.assertThat(appends).as("appends acknowledged after the restart in " + session)
			.anySatisfy((append) -> assertThat(append.acknowledgedAt()).isGreaterThan(restartedAt));
		softly.assertThat(this.manager.getSession(session).messageCount()).as("count of " + session)
			.isEqualTo(messages.size());
	}

	/** Every batch is stored whole or not at all, and every acknowledged one whole, once. */
	private void assertBatchesWhole(SoftAssertions softly, String session, List<String> acknowledgedBatches) {
		List<StoredMessage> messages = this.manager.getAllMessages(session);
		Map<String, List<Long>> byBatch = new HashMap<>();
		for (StoredMessage message : messages) {
			byBatch.computeIfAbsent(message.id().substring(0, message.id().lastIndexOf('-')), (batch) -> new ArrayList<>())
				.add(message.sequence());
		}
		softly.assertThat(acknowledgedBatches).as("batches acknowledged").isNotEmpty();
		softly.assertThat(byBatch).as("batches stored partly or more than once")
			.allSatisfy((batch, sequences) -> assertThat(sequences).as(batch).hasSize(3));
		softly.assertThat(byBatch.keySet()).as("acknowledged batches stored").containsAll(acknowledgedBatches);
		softly.assertThat(this.manager.getSession(session).messageCount()).as("count of " + session)
			.isEqualTo(messages.size());
	}

	/**
	 * Append over HTTP in a loop, each message with its own {@code Idempotency-Key}; after
	 * a 503 (or no answer) retry the same key, as a client would.
	 */
	private static void writeOverRest(RecordingHttpClient http, int writer, String session, AtomicBoolean stop,
			Map<Integer, List<Acknowledged>> acknowledged) {
		List<Acknowledged> mine = acknowledged.computeIfAbsent(writer, (w) -> new ArrayList<>());
		int message = 0;
		for (int request = 0; request < 5000 && !stop.get(); request++) {
			Exchange exchange = http.send("POST", "/sessions/" + session + "/messages",
					"{\"role\":\"user\",\"content\":\"writer " + writer + " message " + message + "\"}",
					Map.of("Idempotency-Key", "w" + writer + "-" + message));
			if (exchange.status() == 201) {
				mine.add(new Acknowledged(match(ID, exchange.body()), Long.parseLong(match(SEQUENCE, exchange.body())),
						exchange.endNanos()));
				message++;
			}
			else if (exchange.status() == 503 || exchange.status() == -1) {
				sleep(Duration.ofMillis(20));
			}
			else {
				message++;
			}
		}
	}

	/**
	 * Append batches of three messages through the manager, each batch retried with the
	 * same ids after an unavailable store until it is acknowledged.
	 */
	private void writeBatches(String session, AtomicBoolean stop, Map<Integer, List<String>> acknowledged,
			Queue<String> unexpected) {
		List<String> mine = acknowledged.computeIfAbsent(0, (w) -> new ArrayList<>());
		int batch = 0;
		while (!stop.get()) {
			List<NewMessage> messages = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				messages.add(NewMessage.of(MessageRole.USER, "batch " + batch + " message " + i)
					.withId("b" + batch + "-" + i));
			}
			try {
				this.manager.appendMessages(session, messages);
				mine.add("b" + batch);
				batch++;
			}
			catch (ChatMemoryUnavailableException ex) {
				sleep(Duration.ofMillis(20));
			}
			catch (RuntimeException ex) {
				unexpected.add("batch " + batch + ": " + causes(ex));
				batch++;
			}
		}
	}

	private static String causes(Throwable failure) {
		StringBuilder chain = new StringBuilder(failure.toString());
		for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
			chain.append(" <- ").append(cause);
			if (cause instanceof SQLException sql) {
				chain.append(" (SQL state ").append(sql.getSQLState()).append(')');
			}
		}
		return chain.toString();
	}

	private static String match(Pattern pattern, String body) {
		Matcher matcher = pattern.matcher(body);
		assertThat(matcher.find()).as(pattern + " in " + body).isTrue();
		return matcher.group(1);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * An append the API acknowledged with 201.
	 *
	 * @param id the message id
	 * @param sequence the sequence it was given
	 * @param acknowledgedAt {@link System#nanoTime()} of the answer
	 */
	private record Acknowledged(String id, long sequence, long acknowledgedAt) {
	}

}
