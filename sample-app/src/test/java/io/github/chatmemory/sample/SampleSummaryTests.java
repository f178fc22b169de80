package io.github.chatmemory.sample;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as a user runs it, summaries on with the offline demo summarizer: a chat
 * longer than the window gets a summary in the background, its context response names
 * it, and the demo model still knows the name said before the window.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleSummaryTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Test
	void aLongChatGetsASummaryThatTheContextResponseNames() {
		RestClient client = RestClient.create("http://localhost:" + this.port);
		send(client, "My name is Ada");
		for (int i = 1; i <= 8; i++) {
			send(client, "Tell me about topic number " + i);
		}
		JsonNode context = await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> context(client), (window) -> window.has("summary"));
		JsonNode summary = context.get("summary");
		assertThat(summary.get("from_sequence").longValue()).isEqualTo(1);
		assertThat(summary.get("to_sequence").longValue()).isPositive();
		assertThat(summary.get("text").stringValue()).startsWith(DemoSummarizer.LABEL).contains("My name is Ada");
		assertThat(summary.get("tokens_saved").longValue()).isPositive();
		for (JsonNode entry : context.get("messages")) {
			assertThat(entry.get("message").get("sequence").longValue())
				.isGreaterThan(summary.get("to_sequence").longValue());
		}
		// the name was said before the window, and reaches the model through the summary
		assertThat(send(client, "What is my name?")).isEqualTo(DemoChatModel.LABEL + "Your name is Ada.");
	}

	private static JsonNode context(RestClient client) {
		return JSON.readTree(client.get().uri("/api/v1/chat/sessions/{id}/context", "long-chat").retrieve().body(String.class));
	}

	private static String send(RestClient client, String message) {
		return (String) client.post()
			.uri("/assistant/sessions/{id}/messages", "long-chat")
			.body(Map.of("message", message))
			.retrieve()
			.body(Map.class)
			.get("reply");
	}

}
