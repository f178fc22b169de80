package io.github.chatmemory.sample;

import java.util.Map;

import io.github.chatmemory.store.ChatMemoryStore;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a user runs it: its default store (JDBC on an H2 file, here under
 * {@code target/}), demo model, two requests over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleAssistantApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryStore store;

	@Test
	void secondAnswerUsesTheFirstMessage() {
		RestClient client = RestClient.create("http://localhost:" + this.port);
		Map<?, ?> first = send(client, "My name is Ada");
		Map<?, ?> second = send(client, "What is my name?");
		assertThat(this.store.type()).isEqualTo("jdbc");
		assertThat((String) first.get("reply")).startsWith(DemoChatModel.LABEL).contains("Ada");
		assertThat((String) second.get("reply")).isEqualTo(DemoChatModel.LABEL + "Your name is Ada.");
		assertThat(send(RestClient.create("http://localhost:" + this.port), "What is my name?", "other").get("reply"))
			.asString()
			.contains("don't know");
	}

	@Test
	void exposesHealthMetricsPrometheusAndTheChatMemoryEndpoint() {
		RestClient client = RestClient.create("http://localhost:" + this.port);
		send(client, "Hello there", "metrics");
		send(client, "Still there?", "metrics");
		String health = client.get().uri("/actuator/health").retrieve().body(String.class);
		assertThat(health).contains("\"chatMemory\"").contains("\"store\":\"jdbc\"").contains("\"database\":\"h2\"");
		String prometheus = client.get().uri("/actuator/prometheus").retrieve().body(String.class);
		assertThat(prometheus).contains("chat_memory_operation_seconds_count")
			.contains("operation=\"append\"")
			.contains("chat_memory_messages_appended_total")
			.contains("chat_memory_window_messages");
		String endpoint = client.get().uri("/actuator/chatmemory").retrieve().body(String.class);
		assertThat(endpoint).contains("\"statistics\"").contains("\"configuration\"");
	}

	private static Map<?, ?> send(RestClient client, String message) {
		return send(client, message, "demo-1");
	}

	private static Map<?, ?> send(RestClient client, String message, String session) {
		return client.post()
			.uri("/assistant/sessions/{id}/messages", session)
			.body(Map.of("message", message))
			.retrieve()
			.body(Map.class);
	}

}
