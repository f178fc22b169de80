package io.github.chatmemory.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.test.RecordingHttpClient;
import io.github.chatmemory.test.RedisClusterProcess;
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

import static io.github.chatmemory.reliability.UnavailableChecks.await;
import static io.github.chatmemory.reliability.UnavailableChecks.checkRest;
import static io.github.chatmemory.reliability.UnavailableChecks.checkStoreUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transient replies of a Redis Cluster ({@code TRYAGAIN} while a slot migrates,
 * {@code CLUSTERDOWN} while a slot has no owner) reaching the store are an unavailable
 * store: {@link ChatMemoryUnavailableException} from {@link ChatMemoryManager} and 503
 * with {@code Retry-After} over HTTP, never a 500. Both are provoked for real on a local
 * three-master cluster.
 */
@SpringBootTest(classes = RestTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class TransientClusterRepliesIT {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

	private static final RedisClusterProcess cluster = RedisClusterProcess.start();

	private static final String APPEND = "{\"role\":\"user\",\"content\":\"hello\"}";

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.cluster.nodes", cluster::nodes);
		registry.add("spring.data.redis.timeout", () -> COMMAND_TIMEOUT.toMillis() + "ms");
		registry.add("chat-memory.redis.key-prefix", () -> "test:" + UUID.randomUUID() + ":");
		registry.add("chat-memory.web.enabled", () -> "true");
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test
	void appendWhileTheSessionsSlotMigratesGives503() {
		this.manager.createSession(new NewSession("tryagain", "ada", null, Map.of()));
		int slot = slotOf("tryagain");
		int owner = ownerOf(slot);
		int target = cluster.ports().stream().filter((port) -> port != owner).findFirst().orElseThrow();
		String targetId = cluster.cli(target, "CLUSTER", "MYID").trim();
		// the session's meta key exists and its message keys do not: a script that
		// touches both while the slot migrates is refused with TRYAGAIN
		assertThat(cluster.cli(owner, "CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", targetId))
			.contains("OK");
		try {
			RecordingHttpClient http = new RecordingHttpClient(this.port, "ada", "secret");
			SoftAssertions softly = new SoftAssertions();
			checkStoreUnavailable(softly, "TRYAGAIN", () -> this.manager.appendMessages("tryagain",
					List.of(NewMessage.of(MessageRole.USER, "hello").withId("m-0")), false));
			checkRest(softly, "TRYAGAIN", http.send("POST", "/sessions/tryagain/messages", APPEND,
					Map.of("Idempotency-Key", "m-1")), COMMAND_TIMEOUT);
			softly.assertAll();
		}
		finally {
			cluster.cli(owner, "CLUSTER", "SETSLOT", Integer.toString(slot), "STABLE");
		}
		assertThat(this.manager.appendMessage("tryagain", NewMessage.of(MessageRole.USER, "hello")).sequence())
			.isPositive();
	}

	@Test
	void slotWithoutOwnerGives503() {
		this.manager.createSession(new NewSession("clusterdown", "ada", null, Map.of()));
		int slot = slotOf("clusterdown");
		int owner = ownerOf(slot);
		// every node forgets the slot: the cluster no longer covers every slot and, with
		// cluster-require-full-coverage yes (the default), answers CLUSTERDOWN
		for (int port : cluster.ports()) {
			cluster.cli(port, "CLUSTER", "DELSLOTS", Integer.toString(slot));
		}
		try {
			await("CLUSTERDOWN", () -> cluster.cli(owner, "GET", "{s:clusterdown}probe").contains("CLUSTERDOWN"));
			RecordingHttpClient http = new RecordingHttpClient(this.port, "ada", "secret");
			SoftAssertions softly = new SoftAssertions();
			checkStoreUnavailable(softly, "CLUSTERDOWN", () -> this.manager.getAllMessages("clusterdown"));
			checkRest(softly, "CLUSTERDOWN", http.send("GET", "/sessions/clusterdown/messages", null, Map.of()),
					COMMAND_TIMEOUT);
			checkRest(softly, "CLUSTERDOWN", http.send("POST", "/sessions/clusterdown/messages", APPEND,
					Map.of("Idempotency-Key", "m-1")), COMMAND_TIMEOUT);
			softly.assertAll();
		}
		finally {
			cluster.cli(owner, "CLUSTER", "ADDSLOTS", Integer.toString(slot));
			await("cluster_state:ok", () -> cluster.ports()
				.stream()
				.allMatch((port) -> cluster.cli(port, "CLUSTER", "INFO").contains("cluster_state:ok")));
		}
	}

	private static int slotOf(String sessionId) {
		return Integer.parseInt(cluster.cli(cluster.ports().get(0), "CLUSTER", "KEYSLOT", "{s:" + sessionId + "}")
			.trim());
	}

	/** The master holding the slot: the only one that counts the session's keys in it. */
	private static int ownerOf(int slot) {
		return cluster.ports()
			.stream()
			.filter((port) -> !cluster.cli(port, "CLUSTER", "COUNTKEYSINSLOT", Integer.toString(slot))
				.trim()
				.equals("0"))
			.findFirst()
			.orElseThrow();
	}

}
