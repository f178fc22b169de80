package io.github.chatmemory.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.test.RecordingHttpClient;
import io.github.chatmemory.test.RecordingHttpClient.Exchange;
import io.github.chatmemory.test.RedisServerProcess;
import io.github.chatmemory.web.RestTestApplication;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Six writers append over HTTP while the application's Redis ({@code appendonly yes},
 * {@code appendfsync always}) is killed with {@code SIGKILL} again and again and started
 * on the same port and data directory: no answer is a 5xx other than 503, every 503 is a
 * problem with {@code Retry-After} that came within the command timeout, every
 * acknowledged append is stored exactly once in its writer's order, and the API works
 * again after the last restart without restarting the application.
 */
@SpringBootTest(classes = RestTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RestRedisKillIT {

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

	/** What a 503 may take beyond the command timeout: a request runs a few commands. */
	private static final Duration FAILURE_MARGIN = Duration.ofMillis(1500);

	private static final int WRITERS = 6;

	/** Writers 0 to 2 share a session; the others each have their own. */
	private static final int SHARING_WRITERS = 3;

	/** Pauses between a kill and the restart; fixed so a failing run can be replayed. */
	private static final List<Duration> RESTART_PAUSES = List.of(Duration.ofMillis(300), Duration.ofMillis(700),
			Duration.ofMillis(450), Duration.ofMillis(800), Duration.ofMillis(350));

	/** Load between restarts and kills. */
	private static final Duration LOAD_BETWEEN_KILLS = Duration.ofMillis(1200);

	/** Hard bound on the whole run, whatever happens. */
	private static final Duration RUN_LIMIT = Duration.ofSeconds(30);

	private static final int MAX_REQUESTS_PER_WRITER = 5000;

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern SEQUENCE = Pattern.compile("\"sequence\"\\s*:\\s*(\\d+)");

	private static final RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync",
			"always");

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RestTestApplication.redisProperties(registry, "127.0.0.1", redis.port(), COMMAND_TIMEOUT.toMillis() + "ms");
	}

	@AfterAll
	static void stopRedis() {
		redis.stop();
	}

	@Test
	void killingRedisUnderConcurrentAppendsGivesOnly503sAndLosesNoAcknowledgedAppend() throws Exception {
		RecordingHttpClient http = new RecordingHttpClient(this.port, "ada", "secret");
		for (String session : sessions()) {
			// ada sees only her own sessions and may not choose ids over HTTP
			this.manager.createSession(new io.github.chatmemory.NewSession(session, "ada", null, Map.of()));
		}
		long runDeadline = System.nanoTime() + RUN_LIMIT.toNanos();
		AtomicBoolean stop = new AtomicBoolean();
		Map<Integer, List<Acknowledged>> acknowledged = new ConcurrentHashMap<>();
		List<Long> kills = new ArrayList<>();
		long lastRestart = 0;
		ExecutorService executor = Executors.newFixedThreadPool(WRITERS);
		try {
			List<Future<?>> writers = new ArrayList<>();
			for (int w = 0; w < WRITERS; w++) {
				int writer = w;
				writers.add(executor.submit(() -> write(http, writer, stop, runDeadline, acknowledged)));
			}
			Thread.sleep(LOAD_BETWEEN_KILLS.toMillis());
			for (Duration pause : RESTART_PAUSES) {
				if (System.nanoTime() > runDeadline - Duration.ofSeconds(5).toNanos()) {
					break;
				}
				kills.add(System.nanoTime());
				redis.kill();
				Thread.sleep(pause.toMillis());
				redis.restart();
				lastRestart = System.nanoTime();
				Thread.sleep(LOAD_BETWEEN_KILLS.toMillis());
			}
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

		// after recovery, without restarting the application: every session takes an
		// append and reads back at the first attempt
		List<Exchange> afterRecovery = new ArrayList<>();
		for (String session : sessions()) {
			afterRecovery.add(http.send("POST", "/sessions/" + session + "/messages",
					"{\"role\":\"user\",\"content\":\"after recovery\"}", Map.of("Idempotency-Key", "after")));
			afterRecovery.add(http.send("GET", "/sessions/" + session + "/messages?limit=1", null, Map.of()));
		}

		Map<Integer, Long> byStatus = new TreeMap<>();
		load.forEach((exchange) -> byStatus.merge(exchange.status(), 1L, Long::sum));
		List<Exchange> unavailable = load.stream().filter((exchange) -> exchange.status() == 503).toList();
		long slowest503 = unavailable.stream().mapToLong((exchange) -> exchange.elapsed().toMillis()).max().orElse(0);
		long inFlightAtKills = load.stream()
			.filter((exchange) -> kills.stream().anyMatch(exchange::inFlightAt))
			.count();
		Map<String, List<StoredMessage>> stored = new LinkedHashMap<>();
		for (String session : sessions()) {
			stored.put(session, this.manager.getAllMessages(session));
		}
		int acknowledgedCount = acknowledged.values().stream().mapToInt(List::size).sum();
		System.out.printf(
				"Redis kill under REST load: %d kills (restart pauses %s), %d requests by status %s, %d in flight at a kill, "
						+ "%d appends acknowledged, slowest 503 %d ms; stored per session %s; after recovery %s%n",
				kills.size(), RESTART_PAUSES.subList(0, kills.size()), load.size(), byStatus, inFlightAtKills,
				acknowledgedCount, slowest503,
				stored.entrySet().stream().map((entry) -> entry.getKey() + "=" + entry.getValue().size()).toList(),
				afterRecovery.stream().map(Exchange::status).toList());
		load.stream()
			.filter((exchange) -> exchange.status() != 201 && exchange.status() != 503)
			.collect(Collectors.groupingBy(RestRedisKillIT::kind, TreeMap::new, Collectors.counting()))
			.forEach((kind, count) -> System.out.printf("  %d x %s%n", count, kind));
		final long recovered = lastRestart;

		// soft, so that one run reports every point that fails
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(kills).as("kills").hasSizeGreaterThanOrEqualTo(4);
		softly.assertThat(inFlightAtKills).as("requests in flight when Redis was killed").isPositive();
		softly.assertThat(unavailable).as("503s while Redis was down").isNotEmpty();
		// 1. nothing but 503 for an unreachable store: no 500, no other 5xx, no dropped request
		softly.assertThat(load).as("answers other than 201 and 503")
			.filteredOn((exchange) -> exchange.status() != 201 && exchange.status() != 503)
			.extracting(Exchange::describe)
			.isEmpty();
		// 2. every 503 is a problem with Retry-After, and came within the command timeout
		softly.assertThat(unavailable).allSatisfy((exchange) -> {
			assertThat(exchange.headers().firstValue("Content-Type")).as(exchange.describe())
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(exchange.headers().firstValue("Retry-After")).as(exchange.describe()).isPresent();
			assertThat(exchange.elapsed()).as(exchange.describe())
				.isLessThanOrEqualTo(COMMAND_TIMEOUT.plus(FAILURE_MARGIN));
		});
		// 3. every acknowledged append is there exactly once, with the sequence it was
		// acknowledged with, and each writer's appends in the order they were acknowledged
		softly.assertThat(acknowledgedCount).as("appends acknowledged").isPositive();
		for (int writer = 0; writer < WRITERS; writer++) {
			List<StoredMessage> messages = stored.get(sessionOf(writer));
			Map<String, Long> timesStored = new HashMap<>();
			Map<String, Long> sequences = new HashMap<>();
			for (StoredMessage message : messages) {
				timesStored.merge(message.id(), 1L, Long::sum);
				sequences.put(message.id(), message.sequence());
			}
			softly.assertThat(timesStored).as("message ids stored more than once in " + sessionOf(writer))
				.allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
			List<Acknowledged> lost = new ArrayList<>();
			List<Acknowledged> outOfOrder = new ArrayList<>();
			long previous = 0;
			for (Acknowledged append : acknowledged.getOrDefault(writer, List.of())) {
				if (!Long.valueOf(append.sequence()).equals(sequences.get(append.id()))) {
					lost.add(append);
				}
				if (append.sequence() <= previous) {
					outOfOrder.add(append);
				}
				previous = append.sequence();
			}
			softly.assertThat(lost).as("acknowledged appends of writer %d not stored with their sequence", writer)
				.isEmpty();
			softly.assertThat(outOfOrder).as("acknowledged appends of writer %d out of order", writer).isEmpty();
			softly.assertThat(this.manager.getSession(sessionOf(writer)).messageCount()).as("count of " + sessionOf(writer))
				.isEqualTo(messages.size());
		}
		// 4. requests after recovery succeed without restarting the application
		for (int writer = 0; writer < WRITERS; writer++) {
			List<Acknowledged> appends = acknowledged.getOrDefault(writer, List.of());
			softly.assertThat(appends).as("writer %d acknowledged after the last restart", writer)
				.anySatisfy((append) -> assertThat(append.acknowledgedAt()).isGreaterThan(recovered));
		}
		softly.assertThat(afterRecovery).extracting(Exchange::status).containsOnly(201, 200);
		softly.assertAll();
	}

	/**
	 * Append in a loop, each message with its own {@code Idempotency-Key}; after a 503
	 * (or no answer) retry the same key, as a client would, so retries cannot duplicate.
	 */
	private static void write(RecordingHttpClient http, int writer, AtomicBoolean stop, long deadline,
			Map<Integer, List<Acknowledged>> acknowledged) {
		List<Acknowledged> mine = acknowledged.computeIfAbsent(writer, (w) -> new ArrayList<>());
		String path = "/sessions/" + sessionOf(writer) + "/messages";
		int message = 0;
		for (int request = 0; request < MAX_REQUESTS_PER_WRITER && !stop.get() && System.nanoTime() < deadline;
				request++) {
			String key = "w" + writer + "-" + message;
			Exchange exchange = http.send("POST", path, "{\"role\":\"user\",\"content\":\"writer " + writer
					+ " message " + message + "\"}", Map.of("Idempotency-Key", key));
			if (exchange.status() == 201) {
				mine.add(new Acknowledged(match(ID, exchange.body()), Long.parseLong(match(SEQUENCE, exchange.body())),
						exchange.endNanos()));
				message++;
			}
			else if (exchange.status() == 503 || exchange.status() == -1) {
				sleep(Duration.ofMillis(20));
			}
			else {
				// an answer the assertions reject (and an append of unknown outcome): go on
				// with the next message
				message++;
			}
		}
	}

	private static String sessionOf(int writer) {
		return (writer < SHARING_WRITERS) ? "kill-shared" : "kill-own-" + writer;
	}

	private static String match(Pattern pattern, String body) {
		Matcher matcher = pattern.matcher(body);
		assertThat(matcher.find()).as(pattern + " in " + body).isTrue();
		return matcher.group(1);
	}

	private static List<String> sessions() {
		return IntStream.range(0, WRITERS).mapToObj(RestRedisKillIT::sessionOf).distinct().toList();
	}

	/** Status and problem detail without the parts that differ per request. */
	private static String kind(Exchange exchange) {
		String text = ((exchange.error() != null) ? exchange.error().toString() : exchange.body())
			.replaceAll("\\s+", " ")
			.replaceAll("\"(instance|timestamp)\":\"[^\"]*\",?", "")
			.replaceAll("kill-[a-z0-9-]+", "<session>");
		return exchange.status() + " " + text.substring(0, Math.min(text.length(), 300));
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
