package io.github.chatmemory.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.github.chatmemory.test.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With its Redis stopped, the API answers 503 with {@code Retry-After} within the command
 * timeout, and works again once Redis is back, without a restart.
 */
@SpringBootTest(classes = RestTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatMemoryRestOutageIT {

	private static final RedisServerProcess redis = RedisServerProcess.start();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RestTestApplication.redisProperties(registry, "127.0.0.1", redis.port(), "1s");
	}

	@AfterAll
	static void stopRedis() {
		redis.stop();
	}

	@Test
	void storeDownGives503WithRetryAfterAndRecovers() throws Exception {
		// ada sees only her own sessions, so the server chooses the id
		HttpResponse<String> created = send("POST", "/sessions", "{\"title\":\"outage\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
		redis.stop();

		long start = System.nanoTime();
		HttpResponse<String> down = send("POST", "/sessions/" + id + "/messages", "{\"role\":\"user\",\"content\":\"hi\"}");
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(down.statusCode()).isEqualTo(503);
		assertThat(down.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(down.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(took).isLessThan(Duration.ofSeconds(5));
		assertThat(send("GET", "/health", null).statusCode()).isEqualTo(503);

		redis.restart();
		HttpResponse<String> recovered = null;
		for (int attempt = 0; attempt < 50; attempt++) {
			recovered = send("GET", "/health", null);
			if (recovered.statusCode() == 200) {
				break;
			}
			Thread.sleep(200);
		}
		assertThat(recovered.statusCode()).isEqualTo(200);
		// the private server keeps nothing on disk: the session is gone, and the API says so
		assertThat(send("GET", "/sessions/" + id, null).statusCode()).isEqualTo(404);
		assertThat(send("POST", "/sessions", "{\"title\":\"after\"}").statusCode()).isEqualTo(201);
	}

	private HttpResponse<String> send(String method, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/chat" + path))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString(("ada:" + RestTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/json")
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
