package io.github.chatmemory.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.SessionSnapshot;
import io.github.chatmemory.transfer.SessionTransfer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a filter chain that lets anonymous requests reach the API, the API itself refuses
 * them: 401 problem details on every endpoint but health, and nothing changes. No user
 * is never taken for "every user".
 */
@SpringBootTest(classes = PermitAllRestTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatMemoryRestAnonymousIT {

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@Autowired
	SessionTransfer transfer;

	private SessionSnapshot before;

	private ChatMemoryStatistics statisticsBefore;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RestTestApplication.redisProperties(registry);
	}

	@BeforeAll
	void seed() {
		this.manager.createSession(new NewSession("ada-1", "ada", "secret plans", Map.of()));
		this.manager.appendMessages("ada-1", List.of(NewMessage.of(MessageRole.USER, "the treasure is under the oak")));
		this.before = this.manager.exportSession("ada-1");
		this.statisticsBefore = this.manager.getStatistics();
	}

	@AfterAll
	void nothingChanged() {
		assertThat(this.manager.exportSession("ada-1")).isEqualTo(this.before);
		assertThat(this.manager.getStatistics()).isEqualTo(this.statisticsBefore);
	}

	static Stream<String[]> endpoints() {
		String export = "{\"format\":\"chat-memory-session\",\"version\":1,\"session\":{\"id\":\"ada-1\",\"user_id\":\"ada\","
				+ "\"active\":true,\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"},"
				+ "\"messages\":[]}";
		return Stream.of(new String[] { "POST", "/sessions", "{\"id\":\"anon\",\"user_id\":\"ada\"}" },
				new String[] { "GET", "/sessions/ada-1", null }, new String[] { "GET", "/users/ada/sessions", null },
				new String[] { "PUT", "/sessions/ada-1/title", "{\"title\":\"mine\"}" },
				new String[] { "POST", "/sessions/ada-1/deactivate", null },
				new String[] { "POST", "/sessions/ada-1/activate", null },
				new String[] { "DELETE", "/sessions/ada-1", null },
				new String[] { "POST", "/sessions/ada-1/messages", "{\"role\":\"user\",\"content\":\"anon\"}" },
				new String[] { "GET", "/sessions/ada-1/messages", null },
				new String[] { "DELETE", "/sessions/ada-1/messages", null },
				new String[] { "POST", "/sessions/ada-1/search", "{\"query\":\"treasure\"}" },
				new String[] { "GET", "/users/ada/search?q=treasure", null },
				new String[] { "GET", "/users/ada/recall?q=treasure", null },
				new String[] { "GET", "/sessions/ada-1/context", null },
				new String[] { "GET", "/sessions/ada-1/export", null },
				new String[] { "POST", "/sessions/import?replace=true", export },
				new String[] { "GET", "/statistics", null },
				new String[] { "POST", "/cleanup", "{\"older_than_days\":1}" });
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("endpoints")
	void anonymousRequestIsRefused(String method, String path, String body) throws Exception {
		HttpResponse<String> response = send(method, path, body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).doesNotContain("treasure", "secret");
	}

	@Test
	void healthIsPublic() throws Exception {
		assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> send(String method, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/chat" + path))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
