package io.github.chatmemory.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.test.RedisServerProcess;
import io.github.chatmemory.web.RestTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An append that timed out on the client may still have been applied by Redis; retried
 * with the same message id (or {@code Idempotency-Key} over HTTP) it is stored once. The
 * timeout is made real with {@code CLIENT PAUSE}: Redis holds the command past the
 * client's command timeout, then runs it.
 */
@SpringBootTest(classes = RestTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class IdempotentRetryIT {

	private static final RedisServerProcess redis = RedisServerProcess.start();

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RestTestApplication.redisProperties(registry, "127.0.0.1", redis.port(), "300ms");
	}

	@AfterAll
	static void stopRedis() {
		redis.stop();
	}

	@BeforeEach
	void loadTheAppendScript() {
		// a paused EVALSHA of a script Redis does not know yet would fail with NOSCRIPT
		// once released, and this test is about one that is applied late
		this.manager.appendMessages("warm-up", List.of(NewMessage.of(MessageRole.USER, "warm up")), true);
	}

	@Test
	void appendRetriedWithTheSameIdAfterATimeoutIsStoredOnce() throws Exception {
		this.manager.createSession(new NewSession("retry", "ada", null, Map.of()));
		redis.cli("CLIENT", "PAUSE", "1500", "WRITE");
		assertThatExceptionOfType(ChatMemoryUnavailableException.class).isThrownBy(() -> this.manager
			.appendMessage("retry", NewMessage.of(MessageRole.USER, "sent once").withId("client-1")));
		awaitUnpaused();
		// the timed-out append did reach Redis: the caller could not know, so it retries
		assertThat(this.manager.getAllMessages("retry")).hasSize(1);
		StoredMessage retried = this.manager.appendMessage("retry",
				NewMessage.of(MessageRole.USER, "sent once").withId("client-1"));
		assertThat(retried.sequence()).isEqualTo(1);
		assertThat(this.manager.getAllMessages("retry")).singleElement()
			.satisfies((message) -> assertThat(message.id()).isEqualTo("client-1"));
	}

	@Test
	void appendRetriedWithTheSameIdempotencyKeyAfterA503IsStoredOnce() throws Exception {
		this.manager.createSession(new NewSession("retry-http", "ada", null, Map.of()));
		redis.cli("CLIENT", "PAUSE", "1500", "WRITE");
		assertThat(post("/sessions/retry-http/messages", "{\"role\":\"user\",\"content\":\"once\"}", "key-1")
			.statusCode()).isEqualTo(503);
		awaitUnpaused();
		assertThat(this.manager.getAllMessages("retry-http")).hasSize(1);
		HttpResponse<String> retried = post("/sessions/retry-http/messages", "{\"role\":\"user\",\"content\":\"once\"}",
				"key-1");
		assertThat(retried.statusCode()).isEqualTo(201);
		assertThat(retried.body()).contains("\"id\":\"key-1\"").contains("\"sequence\":1");
		assertThat(this.manager.getAllMessages("retry-http")).hasSize(1);
	}

	private void awaitUnpaused() throws InterruptedException {
		// the paused command runs when the pause ends; wait until Redis serves writes again
		for (int attempt = 0; attempt < 100; attempt++) {
			if (redis.cli("SET", "probe", "1").contains("OK")) {
				return;
			}
			Thread.sleep(50);
		}
	}

	private HttpResponse<String> post(String path, String body, String idempotencyKey) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/chat" + path))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ada:secret".getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", idempotencyKey)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.build().send(request, HttpResponse.BodyHandlers.ofString());
	}

}
