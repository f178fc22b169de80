package io.github.chatmemory.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.chatmemory.client.ChatMemoryClient;

import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

/**
 * Clients of the test server, as one of its users.
 */
final class RestClients {

	private RestClients() {
	}

	static RestClient restClient(int port, String user) {
		String credentials = Base64.getEncoder()
			.encodeToString((user + ":" + RestTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));
		return RestClient.builder()
			.baseUrl("http://localhost:" + port + "/api/v1/chat")
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Basic " + credentials)
			.build();
	}

	static ChatMemoryClient client(int port, String user) {
		return ChatMemoryClient.create(restClient(port, user));
	}

}
