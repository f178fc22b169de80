package io.github.chatmemory.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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
 * A table of bad requests: each gets its documented 4xx problem response, and the store
 * is the same afterwards as before.
 */
@SpringBootTest(classes = RestTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "chat-memory.transfer.max-import-size=64KB")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatMemoryRestBadInputIT {

	private static final String VALID_MESSAGE = "{\"role\":\"user\",\"content\":\"fine\"}";

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(10)).build();

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@Autowired
	SessionTransfer transfer;

	private SessionSnapshot sessionBefore;

	private ChatMemoryStatistics statisticsBefore;

	private List<String> idsBefore;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RestTestApplication.redisProperties(registry);
	}

	@BeforeAll
	void seed() {
		this.manager.createSession(new NewSession("s-1", "ada", "kept", Map.of("k", "v")));
		this.manager.appendMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "hello").withId("m-1"),
				NewMessage.of(MessageRole.ASSISTANT, "hi").withId("m-2")));
		this.sessionBefore = this.manager.exportSession("s-1");
		this.statisticsBefore = this.manager.getStatistics();
		this.idsBefore = this.manager.listSessionIds(100);
	}

	@AfterAll
	void storeIsUnchanged() {
		assertThat(this.manager.exportSession("s-1")).isEqualTo(this.sessionBefore);
		assertThat(this.manager.getStatistics()).isEqualTo(this.statisticsBefore);
		assertThat(this.manager.listSessionIds(100)).isEqualTo(this.idsBefore);
	}

	static Stream<BadRequest> badRequests() {
		String export = "{\"format\":\"chat-memory-session\",\"version\":1,\"session\":{\"id\":\"imp\",\"user_id\":\"ada\","
				+ "\"active\":true,\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"},"
				+ "\"messages\":[]}";
		List<BadRequest> cases = new ArrayList<>();
		// sessions
		cases.add(post("/sessions", "{", 400, null));
		cases.add(post("/sessions", "[]", 400, null));
		cases.add(post("/sessions", "{\"metadata\":\"not an object\"}", 400, null));
		// '*' and ':' are allowed in ids since issue 13 (Spring AI ids such as user:42)
		cases.add(post("/sessions", "{\"id\":\"bad/id\"}", 400, "id"));
		cases.add(post("/sessions", "{\"id\":\"a{b}\"}", 400, "id"));
		cases.add(post("/sessions", "{\"id\":\"a;b\"}", 400, "id"));
		cases.add(post("/sessions", "{\"id\":\"a b\"}", 400, "id"));
		cases.add(post("/sessions", "{\"id\":\"a\\nb\"}", 400, "id"));
		cases.add(post("/sessions", "{\"title\":\"" + "t".repeat(201) + "\"}", 400, "title"));
		cases.add(post("/sessions", "{\"title\":\"line\\u0000break\"}", 400, "title"));
		cases.add(post("/sessions", "{\"metadata\":{\"big\":\"" + "y".repeat(20_000) + "\"}}", 400, "metadata"));
		cases.add(post("/sessions", "", 400, null));
		cases.add(new BadRequest("POST", "/sessions", "{}", "text/plain", null, "ada", 415, null));
		// a caller who sees only their own sessions does not choose ids, taken or not
		cases.add(post("/sessions", "{\"id\":\"s-1\"}", 400, "id"));
		cases.add(post("/sessions", "{\"id\":\"free-id\"}", 400, "id"));
		cases.add(post("/sessions", "{\"user_id\":\"bob\"}", 403, null));
		// messages
		cases.add(post("/sessions/s-1/messages", "{}", 400, "role"));
		cases.add(post("/sessions/s-1/messages", "null", 400, null));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"robot\",\"content\":\"x\"}", 400, "role"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\"}", 400, "content"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":\"" + "x".repeat(100_001) + "\"}", 400,
				"messages[0].content"));
		cases.add(post("/sessions/s-1/messages",
				"{\"role\":\"user\",\"content\":\"x\",\"metadata\":{\"k\":\"" + "v".repeat(20_000) + "\"}}", 400,
				"messages[0].metadata"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":\"x\",\"id\":\"bad id\"}", 400,
				"messages[0].id"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":\"x\",\"id\":\"a%b\"}", 400,
				"messages[0].id"));
		// header values arrive as ISO-8859-1: only visible ASCII keys are taken (attack on issue 12/13)
		cases.add(new BadRequest("POST", "/sessions/s-1/messages", VALID_MESSAGE, "application/json", "a b", "ada",
				400, "Idempotency-Key"));
		cases.add(new BadRequest("POST", "/sessions/s-1/messages", VALID_MESSAGE, "application/json", "k:{}", "ada",
				400, "messages[0].id"));
		cases.add(new BadRequest("POST", "/sessions/s-1/messages", "{\"role\":\"user\",\"content\":\"x\",\"id\":\"a\"}",
				"application/json", "b", "ada", 400, "id"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"message_type\":\"assistant\",\"content\":\"x\"}",
				400, "role, message_type"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"ai\",\"content\":\"x\",\"tool_calls\":[{\"id\":\"c\"}]}",
				400, "tool_calls[0].name"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":\"x\",\"tool_calls\":\"nope\"}", 400,
				null));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":\"x\",\"response_to\":\"a b\"}", 400,
				"messages[0].responseTo"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":{\"nested\":true}}", 400, null));
		cases.add(post("/sessions/bad%7Did/messages", VALID_MESSAGE, 400, "sessionId"));
		// JSON that Jackson would coerce is refused, naming the JSON path
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":12345}", 400, "content"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":true}", 400, "content"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":\"x\",\"metadata\":{\"n\":1e400}}",
				400, "metadata.n"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":\"x\",\"role\":\"system\"}", 400,
				"body"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":\"x\",\"colour\":\"red\"}", 400,
				"colour"));
		cases.add(post("/sessions/s-1/messages", "{\"role\":\"user\",\"content\":\"x\",\"metadata\":{\"n\":NaN}}",
				400, "body"));
		cases.add(post("/sessions", "{\"title\":42}", 400, "title"));
		cases.add(post("/sessions", "{\"title\":\"a\",\"title\":\"b\"}", 400, "body"));
		cases.add(post("/sessions/s-1/search", "{\"query\":\"x\",\"limit\":1.5}", 400, "limit"));
		cases.add(new BadRequest("PUT", "/sessions/s-1/title", "{\"title\":42}", "application/json", null, "ada", 400,
				"title"));
		cases.add(post("/sessions/unknown/messages", VALID_MESSAGE, 404, null));
		// reads and paging
		cases.add(get("/sessions/s-1/messages?limit=-1", 400, "limit"));
		cases.add(get("/sessions/s-1/messages?limit=0", 400, "limit"));
		cases.add(get("/sessions/s-1/messages?limit=abc", 400, "limit"));
		// malformed percent-encoding is bad input, not a 500 (found by the attack on issue 12)
		cases.add(get("/sessions/s-1/messages?limit=%C0", 400, null));
		cases.add(get("/users/ada/sessions?page=%FF", 400, null));
		cases.add(get("/users/ada/search?q=%ED%A0%80", 400, null));
		cases.add(get("/sessions/s-1/messages?limit=100000", 400, "limit"));
		cases.add(get("/sessions/s-1/messages?before=-5", 400, "before"));
		cases.add(get("/sessions/s-1/messages?before=1&after=1", 400, "before, after"));
		cases.add(get("/users/ada/sessions?page=-1", 400, "page"));
		cases.add(get("/users/ada/sessions?size=0", 400, "size"));
		cases.add(get("/users/ada/sessions?size=abc", 400, "size"));
		// a query parameter that does not convert is named like every other bad field
		cases.add(get("/sessions/s-1/branches?page=99999999999", 400, "page"));
		cases.add(get("/sessions/s-1/branches?size=abc", 400, "size"));
		cases.add(get("/sessions/s-1/messages?before=x", 400, "before"));
		cases.add(get("/sessions/s-1/context?start_on_user_message=maybe", 400, "start_on_user_message"));
		cases.add(get("/sessions/a%7Bb", 400, "sessionId"));
		cases.add(get("/sessions/a%20b", 400, "sessionId"));
		// a ':' is allowed since issue 13; a format character is not
		cases.add(new BadRequest("DELETE", "/sessions/a%E2%80%AEb", null, null, null, "ada", 400, "sessionId"));
		cases.add(get("/sessions/unknown", 404, null));
		// search and window
		cases.add(post("/sessions/s-1/search", "{}", 400, "query"));
		cases.add(post("/sessions/s-1/search", "{\"query\":\"   \"}", 400, "query"));
		cases.add(post("/sessions/s-1/search", "{\"query\":\"x\",\"limit\":-1}", 400, "size"));
		cases.add(get("/users/ada/search", 400, "query"));
		cases.add(get("/sessions/s-1/context?max_tokens=0", 400, "max_tokens"));
		cases.add(get("/sessions/s-1/context?max_messages=-3", 400, "max_messages"));
		cases.add(get("/sessions/s-1/context?max_messages=1001", 400, "max_messages"));
		cases.add(get("/sessions/s-1/context?max_messages=2147483647", 400, "max_messages"));
		cases.add(get("/sessions/s-1/context?max_tokens=2147483647", 400, "max_tokens"));
		// fork and edit read their bodies as strictly as every other endpoint, and name the JSON field
		cases.add(post("/sessions/s-1/fork", "{}", 400, "at_message_id"));
		cases.add(post("/sessions/s-1/fork", "{\"at_message_id\":\"m-1\",\"x\":1}", 400, "x"));
		cases.add(post("/sessions/s-1/fork", "{\"at_message_id\":\"m-1\",\"at_message_id\":\"m-2\"}", 400, "body"));
		cases.add(post("/sessions/s-1/fork", "{\"at_message_id\":\"m-1\",\"title\":5}", 400, "title"));
		cases.add(post("/sessions/s-1/fork", "{\"at_message_id\":1}", 400, "at_message_id"));
		cases.add(post("/sessions/s-1/fork", "{\"at_message_id\":\"bad id\"}", 400, "at_message_id"));
		cases.add(post("/sessions/s-1/fork", "{\"at_message_id\":\"m-1\",\"title\":\"" + "t".repeat(201) + "\"}", 400,
				"title"));
		cases.add(post("/sessions/s-1/messages/m-1/edit", "{\"content\":1}", 400, "content"));
		cases.add(post("/sessions/s-1/messages/m-1/edit", "{\"content\":\"x\",\"content\":\"y\"}", 400, "body"));
		cases.add(post("/sessions/s-1/messages/m-1/edit", "{\"content\":\"x\",\"role\":\"user\"}", 400, "role"));
		cases.add(post("/sessions/s-1/messages/m-1/edit", "{\"content\":\"x\",\"metadata\":{}}", 400, "metadata"));
		cases.add(post("/sessions/s-1/messages/m-1/edit", "{\"content\":\"x\",\"id\":\"m-9\"}", 400, "id"));
		cases.add(post("/sessions/s-1/messages/m-1/edit", "{}", 400, "content"));
		cases.add(post("/sessions/s-1/messages/m-2/edit", "{\"content\":\"x\"}", 400, "messageId"));
		// rename
		cases.add(new BadRequest("PUT", "/sessions/s-1/title", "{}", "application/json", null, "ada", 400, "title"));
		cases.add(new BadRequest("PUT", "/sessions/s-1/title", "{\"title\":\"" + "x".repeat(500) + "\"}",
				"application/json", null, "ada", 400, "title"));
		// import
		cases.add(post("/sessions/import", "{}", 400, "format"));
		cases.add(post("/sessions/import", export.replace("\"created_at\":\"2026-01-01T00:00:00Z\"", "\"created_at\":1.5e300"),
				400, "session.created_at"));
		cases.add(post("/sessions/import", export.replace("\"active\":true", "\"active\":true,\"metadata\":{\"x\":1e400}"),
				400, "session.metadata.x"));
		cases.add(post("/sessions/import", export.replace("\"active\":true", "\"active\":true,\"active\":false"), 400,
				"document"));
		cases.add(post("/sessions/import", export.replace("\"messages\":[]", "\"messages\":[{\"id\":\"m\",\"sequence\":1.5,"
				+ "\"role\":\"USER\",\"content\":\"x\",\"created_at\":\"2026-01-01T00:00:00Z\"}]"), 400, "messages[0].sequence"));
		cases.add(post("/sessions/import", "{\"format\":", 400, "document"));
		// version 2 adds media (issue 13); 3 is unknown
		cases.add(post("/sessions/import", export.replace("\"version\":1", "\"version\":4"), 400, "version"));
		cases.add(post("/sessions/import", export.replace("\"messages\":[]", "\"messages\":[{\"id\":\"m\"}]"), 400,
				"messages[0].sequence"));
		cases.add(post("/sessions/import", export.replace("\"messages\":[]",
				"\"messages\":[],\"padding\":\"" + "p".repeat(70_000) + "\""), 413, null));
		cases.add(post("/sessions/import?session_id=bad%7Bid", export, 400, "session.id"));
		cases.add(post("/sessions/import", export.replace("\"user_id\":\"ada\"", "\"user_id\":\"bob\""), 403, null));
		// operations
		cases.add(new BadRequest("POST", "/cleanup", "{\"older_than_days\":0}", "application/json", null, "root", 400,
				"older_than_days"));
		cases.add(new BadRequest("POST", "/cleanup", "{\"older_than_days\":2147483647}", "application/json", null,
				"root", 400, "older_than_days"));
		cases.add(new BadRequest("POST", "/cleanup", "{\"older_than_days\":\"x\"}", "application/json", null, "root",
				400, null));
		cases.add(new BadRequest("POST", "/cleanup", "{\"older_than_days\":1.5}", "application/json", null, "root",
				400, "older_than_days"));
		// only JSON bodies, so that a cross-site form cannot post: every POST and PUT
		for (String path : List.of("/sessions", "/sessions/s-1/messages", "/sessions/s-1/search", "/sessions/import",
				"/cleanup", "/sessions/s-1/deactivate", "/sessions/s-1/activate")) {
			for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
				cases.add(new BadRequest("POST", path, "{}", type, null, "root", 415, null));
			}
		}
		cases.add(new BadRequest("PUT", "/sessions/s-1/title", "{\"title\":\"x\"}", "text/plain", null, "ada", 415,
				null));
		cases.add(new BadRequest("POST", "/sessions/import", export, "text/plain;charset=UTF-8", null, "ada", 415, null));
		// errors Spring MVC raises before the API's controller is chosen are problems too
		cases.add(new BadRequest("PATCH", "/sessions/s-1", "{}", "application/json", null, "ada", 405, null));
		cases.add(new BadRequest("POST", "/statistics", "{}", "application/json", null, "root", 405, null));
		cases.add(get("/no-such-endpoint", 404, null));
		cases.add(new BadRequest("POST", "/cleanup", "{\"older_than_days\":1}", "application/json", null, "ada", 403,
				null));
		cases.add(new BadRequest("DELETE", "/sessions/s-1", null, null, null, "bob", 404, null));
		return cases.stream();
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("badRequests")
	void badRequestGetsAProblemResponse(BadRequest bad) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/chat"
				+ bad.path()))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((bad.user() + ":" + RestTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8)));
		if (bad.contentType() != null) {
			request.header("Content-Type", bad.contentType());
		}
		if (bad.idempotencyKey() != null) {
			request.header("Idempotency-Key", bad.idempotencyKey());
		}
		request.method(bad.method(), (bad.body() != null) ? HttpRequest.BodyPublishers.ofString(bad.body())
				: HttpRequest.BodyPublishers.noBody());
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).as(response.body()).isEqualTo(bad.status());
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"status\":" + bad.status());
		if (bad.field() != null) {
			assertThat(response.body()).contains("\"field\":\"" + bad.field().replace("\n", "\\n") + "\"");
		}
	}

	@Test
	void anEditOfAnotherRoleSaysWhichInPlainWords() throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/chat/sessions/s-1/messages/m-2/edit"))
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString(("ada:" + RestTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"x\"}"))
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("but 'm-2' is an assistant message");
	}

	private static BadRequest post(String path, String body, int status, String field) {
		return new BadRequest("POST", path, body, "application/json", null, "ada", status, field);
	}

	private static BadRequest get(String path, int status, String field) {
		return new BadRequest("GET", path, null, null, null, "ada", status, field);
	}

	record BadRequest(String method, String path, String body, String contentType, String idempotencyKey, String user,
			int status, String field) {

		@Override
		public String toString() {
			String shown = (this.body != null && this.body.length() > 60) ? this.body.substring(0, 60) + "..."
					: this.body;
			return this.method + " " + this.path + ((shown != null) ? " " + shown : "") + " -> " + this.status;
		}

	}

}
