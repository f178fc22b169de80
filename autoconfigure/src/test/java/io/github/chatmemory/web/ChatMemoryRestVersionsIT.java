package io.github.chatmemory.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.chatmemory.client.ChatMemoryClient;
import io.github.chatmemory.web.api.AppendMessageRequest;
import io.github.chatmemory.web.api.CreateSessionRequest;
import io.github.chatmemory.web.api.EditMessageRequest;
import io.github.chatmemory.web.api.ForkSessionRequest;
import io.github.chatmemory.web.api.MessageResponse;
import io.github.chatmemory.web.api.RenameSessionRequest;
import io.github.chatmemory.web.api.SessionResponse;
import org.junit.jupiter.api.Test;

import org.springframework.http.ResponseEntity;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Versions, version-checked writes and branches over HTTP, on a real server and Redis:
 * {@code ETag} on reads and writes, {@code If-Match} as RFC 9110 defines it (412 when
 * stale, 400 when malformed), 404 for other users' sessions whatever the header says, and
 * forks and edits answering 201 with their {@code Location}.
 */
class ChatMemoryRestVersionsIT extends AbstractRestIT {

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void readsAndWritesCarryTheVersionAsETagAndAppendsCheckIfMatch() throws Exception {
		String id = createSession("ada");
		HttpResponse<String> session = send("ada", "GET", "/sessions/" + id, null);
		assertThat(session.headers().firstValue("ETag")).hasValue("\"1\"");
		assertThat(session.body()).contains("\"version\":1");
		assertThat(send("ada", "GET", "/sessions/" + id + "/messages", null).headers().firstValue("ETag"))
			.hasValue("\"1\"");

		HttpResponse<String> first = send("ada", "POST", "/sessions/" + id + "/messages",
				"{\"id\":\"m-1\",\"role\":\"USER\",\"content\":\"one\"}", "If-Match", "\"1\"");
		assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
		assertThat(first.headers().firstValue("ETag")).hasValue("\"2\"");

		// another writer that read version 1 loses, and learns the current version
		HttpResponse<String> stale = send("ada", "POST", "/sessions/" + id + "/messages",
				"{\"id\":\"m-2\",\"role\":\"USER\",\"content\":\"two\"}", "If-Match", "\"1\"");
		assertProblem(stale, 412);
		assertThat(stale.headers().firstValue("ETag")).hasValue("\"2\"");
		// the retry of the write that landed returns it, without a version: the session's
		// current one may hold writes its sender has not seen
		HttpResponse<String> retry = send("ada", "POST", "/sessions/" + id + "/messages",
				"{\"id\":\"m-1\",\"role\":\"USER\",\"content\":\"one\"}", "If-Match", "\"1\"");
		assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(retry.headers().firstValue("ETag")).isEmpty();

		// *, a list with the current version, and no header at all pass; a weak tag never matches
		assertThat(append("ada", id, "m-3", "*").statusCode()).isEqualTo(201);
		assertThat(append("ada", id, "m-4", "\"17\", \"3\"").statusCode()).isEqualTo(201);
		assertThat(append("ada", id, "m-5", null).statusCode()).isEqualTo(201);
		assertProblem(append("ada", id, "m-6", "W/\"5\""), 412);
		// strong comparison is by characters: "05" is not the tag "5"
		assertProblem(append("ada", id, "m-6", "\"05\""), 412);
		assertThat(send("ada", "GET", "/sessions/" + id + "/messages", null).headers().firstValue("ETag"))
			.hasValue("\"5\"");

		for (String malformed : List.of("5", "\"5", "\"5\"x", ",", "W/5", "\"a b\"", "", " ")) {
			HttpResponse<String> bad = append("ada", id, "m-7", malformed);
			assertProblem(bad, 400);
			assertThat(bad.body()).as(malformed).contains("If-Match");
		}
		ChatMemoryClient client = RestClients.client(this.port, "ada");
		assertThat(client.getMessages(id, null, null, null).messages()).extracting(MessageResponse::id)
			.containsExactly("m-1", "m-3", "m-4", "m-5");
	}

	@Test
	void renamesAndImportsCheckIfMatch() throws Exception {
		String id = createSession("ada");
		assertProblem(send("ada", "PUT", "/sessions/" + id + "/title", "{\"title\":\"x\"}", "If-Match", "\"7\""), 412);
		HttpResponse<String> renamed = send("ada", "PUT", "/sessions/" + id + "/title", "{\"title\":\"y\"}",
				"If-Match", "\"1\"");
		assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
		assertThat(renamed.headers().firstValue("ETag")).hasValue("\"2\"");
		assertThat(renamed.body()).contains("\"title\":\"y\"");

		ChatMemoryClient client = RestClients.client(this.port, "ada");
		String document = client.exportSession(id);
		client.appendMessage(id, new AppendMessageRequest(null, "USER", null, "after the export", null, null, null, null),
				null);
		assertProblem(send("ada", "POST", "/sessions/import?replace=true&session_id=" + id, document, "If-Match",
				"\"2\""), 412);
		assertThat(client.getSession(id).messageCount()).isEqualTo(1);
		assertProblem(send("ada", "POST", "/sessions/import?session_id=" + id, document, "If-Match", "\"3\""), 400);
		HttpResponse<String> imported = send("ada", "POST", "/sessions/import?replace=true&session_id=" + id, document,
				"If-Match", "\"3\"");
		assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
		assertThat(imported.headers().firstValue("ETag")).hasValue("\"4\"");
		assertThat(client.getSession(id).messageCount()).isZero();
		// a version-checked write needs the session: 404, as for every missing session
		assertProblem(send("ada", "POST", "/sessions/import?replace=true&session_id=gone-" + UUID.randomUUID(),
				document, "If-Match", "\"1\""), 404);
		assertProblem(send("ada", "POST", "/sessions/import?replace=true&session_id=gone-" + UUID.randomUUID(),
				document, "If-Match", "*"), 404);
		// the typed client sends the header
		SessionResponse current = client.getSession(id);
		assertThat(client.renameSession(id, new RenameSessionRequest("z"), ChatMemoryClient.ifMatch(current.version()))
			.version()).isEqualTo(current.version() + 1);
		assertThatExceptionOfType(HttpClientErrorException.class).isThrownBy(() -> client
			.renameSession(id, new RenameSessionRequest("w"), ChatMemoryClient.ifMatch(current.version())))
			.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(412));
	}

	@Test
	void endpointsThatDoNotCheckVersionsRefuseIfMatchAndChangeNothing() throws Exception {
		String id = createSession("ada");
		append("ada", id, "m-1", null);
		ChatMemoryClient client = RestClients.client(this.port, "ada");
		long sessionsBefore = client.listSessions("ada", 0, 100).totalItems();
		String[][] requests = { { "DELETE", "/sessions/" + id, null }, { "DELETE", "/sessions/" + id + "/messages", null },
				{ "POST", "/sessions/" + id + "/fork", "{\"at_message_id\":\"m-1\"}" },
				{ "POST", "/sessions/" + id + "/messages/m-1/edit", "{\"content\":\"x\"}" },
				{ "POST", "/sessions/" + id + "/deactivate", null }, { "POST", "/sessions/" + id + "/activate", null },
				{ "POST", "/sessions/" + id + "/summarize", null }, { "POST", "/sessions", "{\"title\":\"x\"}" },
				{ "GET", "/sessions/" + id, null } };
		for (String[] request : requests) {
			for (String ifMatch : List.of("\"2\"", "*")) {
				HttpResponse<String> refused = send("ada", request[0], request[1], request[2], "If-Match", ifMatch);
				assertProblem(refused, 400);
				assertThat(refused.body()).as(request[0] + " " + request[1])
					.contains("\"field\":\"If-Match\"",
							"is not supported here; version-checked: append, title, import");
			}
		}
		SessionResponse session = client.getSession(id);
		assertThat(session.version()).isEqualTo(2);
		assertThat(session.active()).isTrue();
		assertThat(session.messageCount()).isEqualTo(1);
		assertThat(client.listBranches(id, 0, 10).sessions()).isEmpty();
		assertThat(client.listSessions("ada", 0, 100).totalItems()).isEqualTo(sessionsBefore);
	}

	@Test
	void anotherUsersSessionIsNotFoundWhateverTheHeaderSays() throws Exception {
		String id = createSession("ada");
		append("ada", id, "m-1", null);
		for (String ifMatch : List.of("\"1\"", "\"2\"", "*")) {
			assertProblem(send("bob", "POST", "/sessions/" + id + "/messages",
					"{\"role\":\"USER\",\"content\":\"x\"}", "If-Match", ifMatch), 404);
			assertProblem(send("bob", "PUT", "/sessions/" + id + "/title", "{\"title\":\"x\"}", "If-Match", ifMatch),
					404);
		}
		assertProblem(send("bob", "POST", "/sessions/" + id + "/fork", "{\"at_message_id\":\"m-1\"}"), 404);
		assertProblem(send("bob", "POST", "/sessions/" + id + "/messages/m-1/edit", "{\"content\":\"x\"}"), 404);
		assertProblem(send("bob", "GET", "/sessions/" + id + "/branches", null), 404);
		assertThat(RestClients.client(this.port, "ada").getSession(id).version()).isEqualTo(2);
	}

	@Test
	void forksAndEditsAnswer201WithTheirLocationAndAreListedAsBranches() throws Exception {
		String id = createSession("ada");
		append("ada", id, "q-1", null);
		send("ada", "POST", "/sessions/" + id + "/messages", "{\"id\":\"a-1\",\"role\":\"ASSISTANT\",\"content\":\"A\"}");
		append("ada", id, "q-2", null);

		HttpResponse<String> fork = send("ada", "POST", "/sessions/" + id + "/fork",
				"{\"at_message_id\":\"a-1\",\"title\":\"Other way\"}");
		assertThat(fork.statusCode()).as(fork.body()).isEqualTo(201);
		String location = fork.headers().firstValue("Location").orElseThrow();
		assertThat(location).matches("http://localhost:" + this.port + "/api/v1/chat/sessions/[0-9a-f-]{36}");
		HttpResponse<String> forked = send("ada", "GET", URI.create(location).getPath().replace("/api/v1/chat", ""),
				null);
		assertThat(forked.statusCode()).isEqualTo(200);
		assertThat(forked.body()).contains("\"user_id\":\"ada\"", "\"title\":\"Other way\"", "\"message_count\":2",
				"\"branch_of\":{", "\"session_id\":\"" + id + "\"", "\"message_id\":\"a-1\"", "\"kind\":\"fork\"");

		ChatMemoryClient client = RestClients.client(this.port, "ada");
		SessionResponse edited = client.editMessage(id, "q-2", new EditMessageRequest("Q2, better"));
		assertThat(client.getMessages(edited.id(), null, null, null).messages()).extracting(MessageResponse::content)
			.containsExactly("q-1", "A", "Q2, better");
		HttpResponse<String> edit = send("ada", "POST", "/sessions/" + id + "/messages/q-1/edit",
				"{\"content\":\"Q1\"}");
		assertThat(edit.statusCode()).as(edit.body()).isEqualTo(201);
		assertThat(edit.headers().firstValue("Location")).hasValueSatisfying(
				(value) -> assertThat(value).startsWith("http://localhost:" + this.port + "/api/v1/chat/sessions/"));
		assertThat(client.listBranches(id, 0, 10).sessions()).hasSize(3);
		assertThat(client.getMessages(id, null, null, null).messages()).extracting(MessageResponse::id)
			.containsExactly("q-1", "a-1", "q-2");

		assertProblem(send("ada", "POST", "/sessions/" + id + "/fork", "{\"title\":\"x\"}"), 400);
		assertProblem(send("ada", "POST", "/sessions/" + id + "/fork", "{\"at_message_id\":\"nope\"}"), 404);
		assertProblem(send("ada", "POST", "/sessions/" + id + "/messages/nope/edit", "{\"content\":\"x\"}"), 404);
		assertProblem(send("ada", "POST", "/sessions/" + id + "/messages/a-1/edit", "{\"content\":\"x\"}"), 400);
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.isThrownBy(() -> client.forkSession("none-" + UUID.randomUUID(), new ForkSessionRequest("q-1", null)));
	}

	@Test
	void ofConcurrentWritersSendingOneVersionExactlyOneWins() throws Exception {
		String id = createSession("ada");
		int writers = 6;
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				String messageId = "w-" + i;
				statuses.add(executor.submit(() -> {
					start.await();
					return append("ada", id, messageId, "\"1\"").statusCode();
				}));
			}
			start.countDown();
			List<Integer> answers = new ArrayList<>();
			for (Future<Integer> status : statuses) {
				answers.add(status.get(30, TimeUnit.SECONDS));
			}
			assertThat(answers).containsOnly(201, 412);
			assertThat(answers).filteredOn((status) -> status == 201).hasSize(1);
			assertThat(RestClients.client(this.port, "ada").getSession(id).messageCount()).isEqualTo(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private String createSession(String user) {
		ResponseEntity<SessionResponse> created = RestClients.restClient(this.port, user)
			.post()
			.uri("/sessions")
			.body(new CreateSessionRequest(null, null, "versions", null))
			.retrieve()
			.toEntity(SessionResponse.class);
		assertThat(created.getHeaders().getETag()).isEqualTo("\"1\"");
		return created.getBody().id();
	}

	private HttpResponse<String> append(String user, String sessionId, String messageId, String ifMatch)
			throws Exception {
		String body = "{\"id\":\"" + messageId + "\",\"role\":\"USER\",\"content\":\"" + messageId + "\"}";
		return (ifMatch != null) ? send(user, "POST", "/sessions/" + sessionId + "/messages", body, "If-Match", ifMatch)
				: send(user, "POST", "/sessions/" + sessionId + "/messages", body);
	}

	private static void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
	}

	private HttpResponse<String> send(String user, String method, String path, String body, String... headers)
			throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/chat" + path))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody())
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((user + ":" + RestTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8)));
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
