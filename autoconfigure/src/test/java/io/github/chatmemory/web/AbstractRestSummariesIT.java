package io.github.chatmemory.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import io.github.chatmemory.client.ChatMemoryClient;
import io.github.chatmemory.web.api.ContextWindowResponse;
import io.github.chatmemory.web.api.CreateSessionRequest;
import io.github.chatmemory.web.api.SummaryPageResponse;
import io.github.chatmemory.web.api.SummaryResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Summaries over HTTP on a real server, with a deterministic summarizer: {@code POST
 * summarize} makes one now, the context window names it and what it saved, {@code GET
 * summaries} lists them newest first, page by page, and other users' sessions stay 404.
 * Run against every store by its subclasses.
 */
abstract class AbstractRestSummariesIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@Test
	void summarizeMakesOneNowAndTheContextWindowNamesIt() throws Exception {
		String id = createSession("ada");
		JsonNode before = json(send("ada", "GET", "/sessions/" + id + "/context", null), 200);
		assertThat(before.has("summary")).as("no summary yet: " + before).isFalse();
		for (int i = 1; i <= 10; i++) {
			append("ada", id, "Message" + i + " tells a longer story than its summary will, word after word");
		}
		// an empty POST: no body, no content type
		JsonNode summary = json(send("ada", "POST", "/sessions/" + id + "/summarize", null), 200);
		assertThat(summary.get("session_id").stringValue()).isEqualTo(id);
		assertThat(summary.get("from_sequence").longValue()).isEqualTo(1);
		long to = summary.get("to_sequence").longValue();
		assertThat(to).isBetween(1L, 9L);
		assertThat(summary.get("text").stringValue()).startsWith("Said: Message1 Message2");
		assertThat(summary.get("model").stringValue()).isEqualTo("first-words");
		assertThat(summary.get("tokens").intValue()).isPositive();
		assertThat(summary.get("covered_tokens").longValue()).isGreaterThan(summary.get("tokens").longValue());

		JsonNode context = json(send("ada", "GET", "/sessions/" + id + "/context", null), 200);
		JsonNode used = context.get("summary");
		assertThat(used).as(context.toString()).isNotNull();
		assertThat(used.get("id").stringValue()).isEqualTo(summary.get("id").stringValue());
		assertThat(used.get("from_sequence").longValue()).isEqualTo(1);
		assertThat(used.get("to_sequence").longValue()).isEqualTo(to);
		assertThat(used.get("text").stringValue()).isEqualTo(summary.get("text").stringValue());
		int tokens = used.get("tokens").intValue();
		assertThat(tokens).isPositive();
		assertThat(used.get("tokens_saved").longValue())
			.isEqualTo(summary.get("covered_tokens").longValue() - tokens)
			.isPositive();
		// every message is in the window or accounted for as left out
		long leftOut = context.get("left_out").valueStream().mapToLong(JsonNode::longValue).sum();
		assertThat(leftOut + context.get("messages").size()).isEqualTo(10);
		for (JsonNode entry : context.get("messages")) {
			assertThat(entry.get("message").get("sequence").longValue()).isGreaterThan(to);
		}
		// the history keeps every message
		assertThat(json(send("ada", "GET", "/sessions/" + id + "/messages", null), 200).get("messages")).hasSize(10);

		// an empty JSON POST is accepted too
		append("ada", id, "Message11 comes later");
		append("ada", id, "Message12 comes later still");
		JsonNode next = json(send("ada", "POST", "/sessions/" + id + "/summarize", null, "Content-Type",
				"application/json"), 200);
		assertThat(next.get("extends_id").stringValue()).isEqualTo(summary.get("id").stringValue());
		assertThat(next.get("from_sequence").longValue()).isEqualTo(1);
		assertThat(next.get("to_sequence").longValue()).isGreaterThan(to);
	}

	@Test
	void nothingToSummarizeIsAConflict() throws Exception {
		String id = createSession("ada");
		assertProblem(send("ada", "POST", "/sessions/" + id + "/summarize", null), 409);
		append("ada", id, "one");
		append("ada", id, "two");
		HttpResponse<String> conflict = send("ada", "POST", "/sessions/" + id + "/summarize", null);
		assertProblem(conflict, 409);
		assertThat(conflict.body()).contains("no messages left out");
		assertThat(json(send("ada", "GET", "/sessions/" + id + "/summaries", null), 200).get("summaries")).isEmpty();
	}

	@Test
	void anotherUsersOrAMissingSessionIsNotFound() throws Exception {
		String id = createSession("ada");
		for (int i = 1; i <= 6; i++) {
			append("ada", id, "Message" + i);
		}
		assertProblem(send("bob", "POST", "/sessions/" + id + "/summarize", null), 404);
		assertProblem(send("bob", "GET", "/sessions/" + id + "/summaries", null), 404);
		String missing = "missing-" + UUID.randomUUID();
		assertProblem(send("ada", "POST", "/sessions/" + missing + "/summarize", null), 404);
		assertProblem(send("ada", "GET", "/sessions/" + missing + "/summaries", null), 404);
		// bob's attempt made nothing
		assertThat(json(send("ada", "GET", "/sessions/" + id + "/summaries", null), 200).get("total_items").longValue())
			.isZero();
		// the administrator sees every session
		assertThat(send("root", "POST", "/sessions/" + id + "/summarize", null).statusCode()).isEqualTo(200);
	}

	@Test
	void summariesAreListedNewestFirstPageByPage() throws Exception {
		String id = createSession("ada");
		for (int i = 1; i <= 6; i++) {
			append("ada", id, "Message" + i);
		}
		for (int round = 1; round <= 3; round++) {
			json(send("ada", "POST", "/sessions/" + id + "/summarize", null), 200);
			append("ada", id, "Round" + round + "a");
			append("ada", id, "Round" + round + "b");
		}
		JsonNode first = json(send("ada", "GET", "/sessions/" + id + "/summaries?page=0&size=2", null), 200);
		assertThat(first.get("total_items").longValue()).isEqualTo(3);
		assertThat(first.get("has_next").booleanValue()).isTrue();
		assertThat(first.get("size").intValue()).isEqualTo(2);
		JsonNode summaries = first.get("summaries");
		assertThat(summaries).hasSize(2);
		assertThat(summaries.get(0).get("to_sequence").longValue())
			.isGreaterThan(summaries.get(1).get("to_sequence").longValue());
		assertThat(summaries.get(0).get("extends_id").stringValue()).isEqualTo(summaries.get(1).get("id").stringValue());
		JsonNode last = json(send("ada", "GET", "/sessions/" + id + "/summaries?page=1&size=2", null), 200);
		assertThat(last.get("has_next").booleanValue()).isFalse();
		assertThat(last.get("summaries")).hasSize(1);
		assertThat(last.get("summaries").get(0).get("extends_id").isNull()).isTrue();
		assertThat(last.get("summaries").get(0).get("id").stringValue())
			.isEqualTo(summaries.get(1).get("extends_id").stringValue());

		HttpResponse<String> tooLarge = send("ada", "GET", "/sessions/" + id + "/summaries?size=100000", null);
		assertProblem(tooLarge, 400);
		assertThat(tooLarge.body()).contains("size");
		assertProblem(send("ada", "GET", "/sessions/" + id + "/summaries?page=-1", null), 400);
	}

	@Test
	void theTypedClientSummarizesAndLists() throws Exception {
		ChatMemoryClient client = RestClients.client(this.port, "ada");
		String id = client.createSession(new CreateSessionRequest(null, null, "typed", null)).id();
		assertThatExceptionOfType(HttpClientErrorException.Conflict.class).isThrownBy(() -> client.summarize(id));
		for (int i = 1; i <= 6; i++) {
			append("ada", id, "Typed" + i);
		}
		SummaryResponse summary = client.summarize(id);
		assertThat(summary.text()).isEqualTo("Said: Typed1 Typed2");
		assertThat(summary.fromSequence()).isEqualTo(1);
		assertThat(summary.toSequence()).isEqualTo(2);
		assertThat(summary.tokensSaved()).isEqualTo(Math.max(0, summary.coveredTokens() - summary.tokens()));
		ContextWindowResponse.WindowSummary used = client.getContextWindow(id, null, null).summary();
		assertThat(used).isNotNull();
		assertThat(used.id()).isEqualTo(summary.id());
		assertThat(used.toSequence()).isEqualTo(2);
		SummaryPageResponse page = client.getSummaries(id, 0, 10);
		assertThat(page.summaries()).extracting(SummaryResponse::id).containsExactly(summary.id());
		assertThat(page.totalItems()).isEqualTo(1);
		assertThat(page.hasNext()).isFalse();
		ChatMemoryClient bob = RestClients.client(this.port, "bob");
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class).isThrownBy(() -> bob.summarize(id));
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.isThrownBy(() -> bob.getSummaries(id, 0, 10));
	}

	@Test
	void aFailingSummarizerIsUnavailableAndStoresNothing() throws Exception {
		String id = createSession("ada");
		append("ada", id, SummariesRestTestConfiguration.FAIL);
		for (int i = 1; i <= 5; i++) {
			append("ada", id, "Message" + i);
		}
		HttpResponse<String> unavailable = send("ada", "POST", "/sessions/" + id + "/summarize", null);
		assertProblem(unavailable, 503);
		assertThat(unavailable.headers().firstValue("Retry-After")).isPresent();
		assertThat(json(send("ada", "GET", "/sessions/" + id + "/summaries", null), 200).get("summaries")).isEmpty();
		assertThat(json(send("ada", "GET", "/sessions/" + id + "/context", null), 200).has("summary")).isFalse();
	}

	private String createSession(String user) throws Exception {
		return json(send(user, "POST", "/sessions", "{\"title\":\"summaries\"}"), 201).get("id").stringValue();
	}

	private void append(String user, String sessionId, String content) throws Exception {
		json(send(user, "POST", "/sessions/" + sessionId + "/messages",
				"{\"role\":\"USER\",\"content\":\"" + content + "\"}"), 201);
	}

	private static JsonNode json(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		return JSON.readTree(response.body());
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
