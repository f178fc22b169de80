package io.github.chatmemory.sample;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample serves Swagger UI over the chat memory API's OpenAPI document, which holds
 * the real answers of each endpoint.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleSwaggerUiTests {

	@LocalServerPort
	int port;

	@Test
	void swaggerUiShowsTheApi() {
		RestClient client = RestClient.create("http://localhost:" + this.port);
		String page = client.get().uri("/swagger-ui/index.html").retrieve().body(String.class);
		assertThat(page).contains("swagger-ui");
		String document = client.get().uri("/v3/api-docs").retrieve().body(String.class);
		assertThat(document).contains("\"/api/v1/chat/sessions\"", "\"/api/v1/chat/users/{userId}/recall\"",
				"\"/assistant/sessions/{sessionId}/messages\"", "\"201\"", "\"409\"",
				"\"Send a message and get the assistant's reply\"", "\"Create a session\"");
	}

}
