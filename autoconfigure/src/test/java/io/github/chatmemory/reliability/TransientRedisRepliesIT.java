package io.github.chatmemory.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.test.RecordingHttpClient;
import io.github.chatmemory.test.RedisServerProcess;
import io.github.chatmemory.web.RestTestApplication;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.chatmemory.reliability.UnavailableChecks.await;
import static io.github.chatmemory.reliability.UnavailableChecks.checkRest;
import static io.github.chatmemory.reliability.UnavailableChecks.checkStoreUnavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Transient replies of a real {@code redis-server} ({@code LOADING}, {@code BUSY},
 * {@code READONLY}, {@code MASTERDOWN}) reaching the store are an unavailable store:
 * {@link ChatMemoryUnavailableException} from {@link ChatMemoryManager} and 503 with
 * {@code Retry-After} over HTTP, never a 500. Each reply is provoked for real, and each
 * answer must come before the command timeout, so a 503 that only came from a timeout
 * does not count.
 */
@SpringBootTest(classes = RestTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class TransientRedisRepliesIT {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	/** Enough keys that loading them at {@code key-load-delay} takes about 4 seconds. */
	private static final int PADDING_KEYS = 40_000;

	private static final RedisServerProcess redis = RedisServerProcess.start(
			// a script becomes BUSY for other clients after 100 ms
			"--busy-reply-threshold", "100",
			// load the data set slowly and answer LOADING meanwhile, as a big one would
			"--key-load-delay", "100", "--loading-process-events-interval-bytes", "1024");

	private static final String APPEND = "{\"role\":\"user\",\"content\":\"hello\"}";

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	private RecordingHttpClient http;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RestTestApplication.redisProperties(registry, "127.0.0.1", redis.port(), COMMAND_TIMEOUT.toMillis() + "ms");
	}

	@AfterAll
	static void stopRedis() {
		redis.stop();
	}

	@BeforeEach
	void client() {
		this.http = new RecordingHttpClient(this.port, "ada", "secret");
	}

	@AfterEach
	void primaryAgain() {
		redis.cli("REPLICAOF", "NO", "ONE");
		redis.cli("CONFIG", "SET", "replica-serve-stale-data", "yes");
		await("Redis answers PONG", () -> redis.cli("PING").contains("PONG"));
	}

	@Test
	void loadingGives503() {
		this.manager.createSession(new NewSession("loading", "ada", null, Map.of()));
		redis.cli("EVAL", "for i = 1, " + PADDING_KEYS + " do redis.call('SET', 'padding:' .. i, 'x') end", "0");
		assertThat(redis.cli("SAVE")).contains("OK");
		// stopped cleanly it does not save again (no save points): it restarts from the
		// snapshot, loading it slowly
		redis.stop();
		redis.restartWhileLoading();
		assertThat(redis.cli("PING")).contains("LOADING");
		assertUnavailable("LOADING", () -> this.manager.getAllMessages("loading"),
				"/sessions/loading/messages");
		assertThat(redis.cli("PING")).as("still loading after the checks: they saw LOADING").contains("LOADING");
		await("the data set loaded", () -> redis.cli("PING").contains("PONG"));
		assertThat(this.http.send("GET", "/sessions/loading/messages", null, Map.of()).status()).isEqualTo(200);
	}

	@Test
	void outOfMemoryRefusesWholeWritesAndStoresNothing() {
		// the attack on issue 12: scripts that began with DEL wrote past maxmemory under noeviction
		this.manager.createSession(new NewSession("oom", "ada", null, Map.of()));
		String used = redis.cli("INFO", "memory").lines()
			.filter((line) -> line.startsWith("used_memory:"))
			.findFirst()
			.orElseThrow()
			.substring("used_memory:".length())
			.trim();
		String policy = redis.cli("CONFIG", "GET", "maxmemory-policy").lines().skip(1).findFirst().orElse("noeviction")
			.trim();
		redis.cli("CONFIG", "SET", "maxmemory-policy", "noeviction");
		redis.cli("CONFIG", "SET", "maxmemory", Long.toString(Long.parseLong(used) + 50_000));
		try {
			List<NewMessage> large = new java.util.ArrayList<>();
			for (int i = 0; i < 50; i++) {
				large.add(NewMessage.of(MessageRole.USER, "x".repeat(20_000)));
			}
			int refused = 0;
			for (int i = 0; i < 5; i++) {
				String id = "oom-import-" + i;
				StoredMessage message = new StoredMessage("m", id, 1, MessageRole.USER, "y".repeat(90_000), Map.of(),
						null, List.of(), List.of(), java.time.Instant.now().minusSeconds(1));
				io.github.chatmemory.ChatSession session = new io.github.chatmemory.ChatSession(id, "ada", "", Map.of(),
						true, java.time.Instant.now().minusSeconds(1), java.time.Instant.now().minusSeconds(1), 1);
				try {
					this.manager.importSession(new io.github.chatmemory.SessionSnapshot(session, List.of(message)),
							false);
				}
				catch (ChatMemoryUnavailableException ex) {
					refused++;
					assertThat(this.manager.findSession(id)).as("an import refused for memory stores nothing")
						.isEmpty();
				}
			}
			// each import needs more than the memory left: before the fix they all went through
			assertThat(refused).isEqualTo(5);
			assertThatExceptionOfType(ChatMemoryUnavailableException.class)
				.isThrownBy(() -> this.manager.appendMessages("oom", large))
				.withMessageContaining("OOM");
			assertThat(this.manager.getAllMessages("oom")).isEmpty();
			assertThatExceptionOfType(ChatMemoryUnavailableException.class).isThrownBy(
					() -> this.manager.replaceMessages("oom", large)).withMessageContaining("OOM");
		}
		finally {
			redis.cli("CONFIG", "SET", "maxmemory", "0");
			redis.cli("CONFIG", "SET", "maxmemory-policy", policy);
		}
	}

	@Test
	void busyScriptGives503() {
		this.manager.createSession(new NewSession("busy", "ada", null, Map.of()));
		Process script = redis.cliInBackground("EVAL", "while true do end", "0");
		try {
			await("Redis answers BUSY", () -> redis.cli("PING").contains("BUSY"));
			assertUnavailable("BUSY", () -> this.manager.getAllMessages("busy"), "/sessions/busy/messages");
			assertThat(redis.cli("PING")).as("still busy after the checks: they saw BUSY").contains("BUSY");
		}
		finally {
			redis.cli("SCRIPT", "KILL");
			script.destroy();
		}
		await("the script killed", () -> redis.cli("PING").contains("PONG"));
		assertThat(this.http.send("GET", "/sessions/busy/messages", null, Map.of()).status()).isEqualTo(200);
	}

	@Test
	void writeToReplicaGives503() {
		RedisServerProcess primary = RedisServerProcess.start();
		try {
			redis.cli("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
			await("replica in sync", () -> redis.cli("INFO", "replication").contains("master_link_status:up"));
			assertThat(redis.cli("SET", "probe", "1")).contains("READONLY");
			// creating a session writes without reading first, so it meets READONLY
			SoftAssertions softly = new SoftAssertions();
			checkStoreUnavailable(softly, "READONLY",
					() -> this.manager.createSession(new NewSession("readonly", "ada", null, Map.of())));
			checkStoreUnavailable(softly, "READONLY", () -> this.manager.appendMessages("readonly",
					List.of(NewMessage.of(MessageRole.USER, "hello")), true));
			checkRest(softly, "READONLY", this.http.send("POST", "/sessions", "{\"title\":\"readonly-http\"}", Map.of()),
					COMMAND_TIMEOUT);
			softly.assertAll();
		}
		finally {
			redis.cli("REPLICAOF", "NO", "ONE");
			primary.stop();
		}
		assertThat(this.http.send("POST", "/sessions", "{\"title\":\"readonly-http\"}", Map.of()).status())
			.isEqualTo(201);
	}

	@Test
	void replicaOfAPrimaryThatIsDownGives503() {
		this.manager.createSession(new NewSession("masterdown", "ada", null, Map.of()));
		RedisServerProcess primary = RedisServerProcess.start();
		primary.stop();
		redis.cli("CONFIG", "SET", "replica-serve-stale-data", "no");
		redis.cli("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
		await("Redis answers MASTERDOWN", () -> redis.cli("GET", "probe").contains("MASTERDOWN"));
		assertUnavailable("MASTERDOWN", () -> this.manager.getAllMessages("masterdown"),
				"/sessions/masterdown/messages");
	}

	/**
	 * Check, softly so that every failure is reported, that the store-level call and a
	 * read and an append over HTTP all say the store is unavailable.
	 */
	private void assertUnavailable(String reply, ThrowingCallable storeCall, String messagesPath) {
		SoftAssertions softly = new SoftAssertions();
		checkStoreUnavailable(softly, reply, storeCall);
		checkRest(softly, reply, this.http.send("GET", messagesPath, null, Map.of()), COMMAND_TIMEOUT);
		checkRest(softly, reply, this.http.send("POST", messagesPath, APPEND, Map.of("Idempotency-Key", "m-1")),
				COMMAND_TIMEOUT);
		softly.assertAll();
	}

}
