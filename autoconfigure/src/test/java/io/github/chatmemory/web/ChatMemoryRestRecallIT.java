package io.github.chatmemory.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.client.ChatMemoryClient;
import io.github.chatmemory.test.WordOverlapRecall;
import io.github.chatmemory.test.WordOverlapRecallConfiguration;
import io.github.chatmemory.web.api.RecallResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code GET /users/{userId}/recall} with recall on (a test-only recall that scores by
 * shared words): the user's own messages through the typed client, ownership as on every
 * user endpoint, and bad parameters as 400 problem details naming the field.
 */
@SpringBootTest(classes = { RestTestApplication.class, WordOverlapRecallConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoints.web.exposure.include=chatmemory")
class ChatMemoryRestRecallIT {

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@Autowired
	WordOverlapRecall recall;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RestTestApplication.redisProperties(registry);
	}

	@BeforeEach
	void conversations() {
		if (this.manager.findSession("ada-rome").isPresent()) {
			return;
		}
		this.manager.createSession(new NewSession("ada-rome", "ada", "Trip to Rome", java.util.Map.of()));
		this.manager.createSession(new NewSession("ada-cake", "ada", "Baking", java.util.Map.of()));
		this.manager.createSession(new NewSession("bob-rome", "bob", "Bob in Rome", java.util.Map.of()));
		this.manager.appendMessage("ada-rome", NewMessage.of(MessageRole.USER, "I long to see the Colosseum in Rome"));
		this.manager.appendMessage("ada-cake", NewMessage.of(MessageRole.USER, "My carrot cake needs more sugar"));
		this.manager.appendMessage("bob-rome", NewMessage.of(MessageRole.USER, "Bob's secret: Rome Colosseum tour"));
	}

	@Test
	void usersRecallTheirOwnMessagesWithTheClient() {
		RecallResponse found = RestClients.client(this.port, "ada").recall("ada", "colosseum visit", 5);

		assertThat(found.hits()).singleElement().satisfies((hit) -> {
			assertThat(hit.sessionId()).isEqualTo("ada-rome");
			assertThat(hit.sessionTitle()).isEqualTo("Trip to Rome");
			assertThat(hit.role()).isEqualTo("user");
			assertThat(hit.sequence()).isEqualTo(1);
			assertThat(hit.snippet()).isEqualTo("I long to see the Colosseum in Rome");
			assertThat(hit.score()).isPositive();
			assertThat(hit.messageId()).isNotBlank();
			assertThat(hit.createdAt()).isNotNull();
		});
		assertThat(RestClients.client(this.port, "bob").recall("bob", "colosseum", null).hits())
			.extracting(RecallResponse.Hit::sessionId)
			.containsExactly("bob-rome");
		// the administrator sees every user's sessions
		assertThat(RestClients.client(this.port, "root").recall("ada", "carrot cake", 1).hits())
			.extracting(RecallResponse.Hit::sessionId)
			.containsExactly("ada-cake");
	}

	@Test
	void jsonIsSnakeCase() throws Exception {
		HttpResponse<String> response = get("ada", "/users/ada/recall?q=colosseum");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"session_id\":\"ada-rome\"", "\"session_title\":\"Trip to Rome\"",
				"\"message_id\":", "\"sequence\":1", "\"role\":\"user\"", "\"score\":", "\"snippet\":",
				"\"created_at\":");
	}

	@Test
	void anotherUsersRecallIsNotFoundAndSaysNothing() throws Exception {
		ChatMemoryClient bob = RestClients.client(this.port, "bob");
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.isThrownBy(() -> bob.recall("ada", "colosseum", 5))
			.satisfies((ex) -> assertThat(ex.getResponseBodyAsString()).doesNotContain("Colosseum", "Trip"));
		HttpResponse<String> anonymous = this.http.send(
				HttpRequest.newBuilder(uri("/users/ada/recall?q=colosseum")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.body()).doesNotContain("Colosseum");
	}

	@Test
	void actuatorReindexesOneUserOrEveryone() throws Exception {
		HttpResponse<String> one = post("/actuator/chatmemory/recall-reindex", "{\"user\":\"ada\"}");
		assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
		assertThat(one.body()).contains("\"recallEnabled\":true", "\"user\":\"ada\"", "\"queuedSessions\":2");
		HttpResponse<String> all = post("/actuator/chatmemory/recall-reindex", "{}");
		assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
		assertThat(this.recall.reindexed()).endsWith("ada", "*");
		assertThat(post("/actuator/chatmemory/recall-reindex", "{\"user\":\"a{b\"}").statusCode()).isEqualTo(400);
		assertThat(post("/actuator/chatmemory/reindex-everything", "{}").statusCode()).isEqualTo(400);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "/users/ada/recall, query", "/users/ada/recall?q=%20%20, query",
			"/users/ada/recall?q=x&limit=0, limit", "/users/ada/recall?q=x&limit=-1, limit",
			"/users/ada/recall?q=x&limit=100000, limit", "/users/ada/recall?q=x&limit=abc, limit",
			"/users/a%7Bb/recall?q=x, userId" })
	void badParametersAreProblemsNamingTheField(String path, String field) throws Exception {
		HttpResponse<String> response = get("root", path);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"field\":\"" + field + "\"");
	}

	@Test
	void aQueryLongerThanSearchAllowsIsRefused() throws Exception {
		// 200 characters, as keyword search allows
		int max = 200;
		HttpResponse<String> response = get("ada", "/users/ada/recall?q=" + "a".repeat(max + 1));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("\"field\":\"query\"");
	}

	private HttpResponse<String> get(String user, String path) throws Exception {
		String credentials = Base64.getEncoder()
			.encodeToString((user + ":" + RestTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));
		return this.http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + credentials).GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + "/api/v1/chat" + path);
	}

}
