package io.github.chatmemory.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.github.chatmemory.client.ChatMemoryClient;
import io.github.chatmemory.web.api.AppendMessageRequest;
import io.github.chatmemory.web.api.CreateSessionRequest;
import io.github.chatmemory.web.api.RenameSessionRequest;
import io.github.chatmemory.web.api.SearchRequest;
import io.github.chatmemory.web.api.SessionResponse;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Ownership with Spring Security: user A's session is invisible to user B, whatever B
 * tries, and fully usable by A and by the administrator.
 */
class ChatMemoryRestSecurityIT extends AbstractRestIT {

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void usersSeeOnlyTheirOwnSessions() {
		ChatMemoryClient ada = RestClients.client(this.port, "ada");
		ChatMemoryClient bob = RestClients.client(this.port, "bob");
		SessionResponse session = RestClients.client(this.port, "root")
			.createSession(new CreateSessionRequest("ada-private", "ada", "secret plans", null));
		ada.appendMessage(session.id(), message("the treasure is under the oak"), null);
		String id = session.id();

		Map<String, Consumer<ChatMemoryClient>> attempts = Map.ofEntries(
				Map.entry("read", (client) -> client.getSession(id)),
				Map.entry("read messages", (client) -> client.getMessages(id, null, null, null)),
				Map.entry("search", (client) -> client.searchSession(id, new SearchRequest("treasure", null, null))),
				Map.entry("search user", (client) -> client.searchUser("ada", "treasure", null, null)),
				Map.entry("list user", (client) -> client.listSessions("ada", 0, 10)),
				Map.entry("context", (client) -> client.getContextWindow(id, null, null)),
				Map.entry("export", (client) -> client.exportSession(id)),
				Map.entry("append", (client) -> client.appendMessage(id, message("bob was here"), null)),
				Map.entry("rename", (client) -> client.renameSession(id, new RenameSessionRequest("mine"))),
				Map.entry("deactivate", (client) -> client.deactivateSession(id)),
				Map.entry("clear", (client) -> client.clearMessages(id)),
				Map.entry("delete", (client) -> client.deleteSession(id)));
		attempts.forEach((name, attempt) -> assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.as("bob: " + name)
			.isThrownBy(() -> attempt.accept(bob)));
		assertThatExceptionOfType(HttpClientErrorException.Forbidden.class).as("bob creates for ada")
			.isThrownBy(() -> bob.createSession(new CreateSessionRequest(null, "ada", null, null)));
		assertThatExceptionOfType(HttpClientErrorException.Forbidden.class).as("bob replaces by import")
			.isThrownBy(() -> bob.importSession(ada.exportSession(id), null, null, true));
		assertThat(bob.searchUser("bob", "treasure", null, null).hits()).isEmpty();

		assertThat(ada.getSession(id).title()).isEqualTo("secret plans");
		assertThat(ada.getMessages(id, null, null, null).messages()).singleElement()
			.satisfies((message) -> assertThat(message.content()).isEqualTo("the treasure is under the oak"));
		assertThat(ada.searchSession(id, new SearchRequest("treasure", null, null)).hits()).hasSize(1);
		assertThat(ada.exportSession(id)).contains("treasure");
		assertThat(RestClients.client(this.port, "root").getSession(id).userId()).isEqualTo("ada");
		ada.appendMessage(id, message("still mine"), null);
		ada.deleteSession(id);
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class).isThrownBy(() -> ada.getSession(id));
	}

	/**
	 * Issue 12 C10: another user's session id cannot be told apart from a missing one. A
	 * caller who sees only their own sessions does not choose ids on create, and an
	 * import keeps the document's id only to replace the caller's own session, so every
	 * answer about an id someone else holds is the answer about a free id.
	 */
	@Test
	void anotherUsersSessionIdCannotBeToldApartFromAMissingOne() throws Exception {
		ChatMemoryClient root = RestClients.client(this.port, "root");
		ChatMemoryClient ada = RestClients.client(this.port, "ada");
		root.createSession(new CreateSessionRequest("ada-taken", "ada", "ada's", null));
		root.createSession(new CreateSessionRequest("bob-taken", "bob", "bob's", null));
		String bobExport = RestClients.client(this.port, "bob").exportSession("bob-taken");

		// create with a chosen id: the same 400 for another user's id and for a free one
		assertSameAnswer(send("bob", "POST", "/sessions", "{\"id\":\"ada-taken\"}"),
				send("bob", "POST", "/sessions", "{\"id\":\"never-used\"}"), 400);
		// import under another user's id, with or without replace: a new session with a
		// new id, exactly as under a free id
		for (String query : List.of("?session_id=%s", "?session_id=%s&replace=true")) {
			HttpResponse<String> theirs = send("bob", "POST", "/sessions/import" + query.formatted("ada-taken"),
					bobExport);
			HttpResponse<String> free = send("bob", "POST", "/sessions/import" + query.formatted("never-used"),
					bobExport);
			assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(201);
			assertThat(free.statusCode()).as(free.body()).isEqualTo(201);
			assertThat(theirs.body()).doesNotContain("ada-taken").contains("\"user_id\":\"bob\"");
			assertThat(free.body()).doesNotContain("never-used").contains("\"user_id\":\"bob\"");
		}
		HttpResponse<String> renamed = send("bob", "POST", "/sessions/import?replace=true",
				bobExport.replace("\"bob-taken\"", "\"ada-taken\""));
		assertThat(renamed.statusCode()).isEqualTo(201);
		assertThat(renamed.body()).doesNotContain("ada-taken");

		// replacing one's own session keeps its id; ada's session is untouched
		HttpResponse<String> own = send("bob", "POST", "/sessions/import?replace=true", bobExport);
		assertThat(own.statusCode()).isEqualTo(201);
		assertThat(own.body()).contains("\"id\":\"bob-taken\"");
		assertThat(ada.getSession("ada-taken").title()).isEqualTo("ada's");
		assertThat(ada.getSession("ada-taken").userId()).isEqualTo("ada");
		assertThat(ada.getSession("ada-taken").messageCount()).isZero();
	}

	/**
	 * The README's filter chain works as written for a stateless API: a POST goes through
	 * without a CSRF token, and errors raised by Spring Security or by Spring MVC before
	 * the controller are problem details too.
	 */
	@Test
	void readmeFilterChainWorksAndAnswersProblems() throws Exception {
		HttpResponse<String> created = send("ada", "POST", "/sessions", "{\"title\":\"csrf-free\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

		HttpResponse<String> anonymous = send(null, "POST", "/sessions", "{}");
		assertProblem(anonymous, 401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"chat-memory\"");
		assertProblem(send("ada", "GET", "/statistics", null), 403);
		assertProblem(send("ada", "PATCH", "/sessions/x", "{}"), 405);
		assertProblem(send("ada", "POST", "/sessions", "{}", "text/plain"), 415);
		assertThat(send(null, "GET", "/health", null).statusCode()).isEqualTo(200);
	}

	private static void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains("\"status\":" + status, "\"title\":");
	}

	private static void assertSameAnswer(HttpResponse<String> other, HttpResponse<String> own, int status) {
		assertThat(own.statusCode()).as(own.body()).isEqualTo(status);
		assertThat(other.statusCode()).as(other.body()).isEqualTo(own.statusCode());
		assertThat(other.body().replaceAll("\"instance\":\"[^\"]*\"", ""))
			.isEqualTo(own.body().replaceAll("\"instance\":\"[^\"]*\"", ""));
		Map<String, List<String>> otherHeaders = new TreeMap<>(other.headers().map());
		Map<String, List<String>> ownHeaders = new TreeMap<>(own.headers().map());
		otherHeaders.remove("date");
		ownHeaders.remove("date");
		assertThat(otherHeaders).isEqualTo(ownHeaders);
	}

	private HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
		return send(user, method, path, body, "application/json");
	}

	private HttpResponse<String> send(String user, String method, String path, String body, String contentType)
			throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/api/v1/chat" + path))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		if (user != null) {
			request.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((user + ":" + RestTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8)));
		}
		if (body != null) {
			request.header("Content-Type", contentType);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static AppendMessageRequest message(String content) {
		return new AppendMessageRequest(null, "user", null, content, null, null, null, null);
	}

}
