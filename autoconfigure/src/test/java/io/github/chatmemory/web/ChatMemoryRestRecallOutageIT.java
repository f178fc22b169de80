package io.github.chatmemory.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.chatmemory.test.RedisServerProcess;
import io.github.chatmemory.test.WordOverlapRecallConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With its Redis stopped, recall answers 503 with {@code Retry-After} like every other
 * endpoint, not a 500.
 */
@SpringBootTest(classes = { RestTestApplication.class, WordOverlapRecallConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
class ChatMemoryRestRecallOutageIT {

	private static final RedisServerProcess redis = RedisServerProcess.start();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
	void storeDownGives503WithRetryAfter() throws Exception {
		assertThat(get().statusCode()).isEqualTo(200);
		redis.stop();

		HttpResponse<String> down = get();
		assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
		assertThat(down.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(down.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
	}

	private HttpResponse<String> get() throws Exception {
		return this.http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/chat/users/ada/recall?q=anything"))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString(("ada:" + RestTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
