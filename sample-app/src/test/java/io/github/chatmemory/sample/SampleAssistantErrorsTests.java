package io.github.chatmemory.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The assistant's endpoint answers bad input as the chat memory API does: a 400 problem
 * detail naming the field, never a bare 500; and its reply is snake_case like the API's.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleAssistantErrorsTests {

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource(delimiter = '|', value = { "ok-1|''|", "ok-2|{}|message", "ok-3|{\"message\":\"  \"}|message",
			"ok-4|not json|", "a%7Bb|{\"message\":\"hello\"}|sessionId" })
	void badInputIsAProblemNamingTheField(String session, String body, String field) throws Exception {
		HttpResponse<String> response = post(session, body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		if (field != null) {
			assertThat(response.body()).contains("\"field\":\"" + field + "\"");
		}
	}

	@org.junit.jupiter.api.Test
	void theReplyIsSnakeCase() throws Exception {
		HttpResponse<String> response = post("ok-5", "{\"message\":\"My name is Ada\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"session_id\":\"ok-5\"").doesNotContain("sessionId");
	}

	private HttpResponse<String> post(String session, String body) throws Exception {
		return this.http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/assistant/sessions/" + session + "/messages"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
