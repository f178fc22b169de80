package io.github.chatmemory.sample;

import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.NewSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample started with {@code --chat-memory.recall.enabled=true} alone, on the real
 * offline MiniLM model: the REST recall endpoint finds what the user said in another
 * conversation from a paraphrase, the assistant's recall advisor puts it in the prompt
 * (the demo model answers from it), and the actuator re-indexes; never another user's
 * words.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "chat-memory.recall.enabled=true")
class SampleSemanticRecallTests {

	private static final String PETS = "I adopted a puppy named Rex last week";

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@Test
	void recallsAParaphraseFromAnotherConversationNeverAnotherUsersWords() throws InterruptedException {
		assertThat(this.manager.isRecallEnabled()).isTrue();
		this.manager.createSession(new NewSession("eve-pets", "eve", "Pets", Map.of()));
		this.manager.createSession(new NewSession("eve-today", "eve", "Today", Map.of()));
		this.manager.createSession(new NewSession("fay-pets", "fay", "Fay's pets", Map.of()));
		send("eve-pets", PETS);
		send("fay-pets", "I adopted a puppy named Bella last week");

		// indexing runs in the background: wait for it, within a bound
		List<Map<?, ?>> hits = List.of();
		for (int attempt = 0; attempt < 150 && hits.stream().noneMatch(SampleSemanticRecallTests::isPets); attempt++) {
			Thread.sleep(100);
			hits = recall("eve", "Do you remember my new dog?");
		}
		assertThat(hits).anySatisfy((hit) -> {
			assertThat(isPets(hit)).isTrue();
			assertThat(hit.get("session_id")).isEqualTo("eve-pets");
			assertThat(((Number) hit.get("score")).doubleValue()).isGreaterThan(0.3);
		});
		assertThat(hits.toString()).doesNotContain("Bella");

		assertThat(send("eve-today", "Do you remember my new dog?"))
			.startsWith(DemoChatModel.LABEL + "From your other conversations I recall: In \"Pets\" (")
			.contains(PETS)
			.doesNotContain("Bella");
	}

	private static boolean isPets(Map<?, ?> hit) {
		return PETS.equals(hit.get("snippet")) && "Pets".equals(hit.get("session_title"));
	}

	private List<Map<?, ?>> recall(String user, String query) {
		Map<?, ?> found = client().get()
			.uri("/api/v1/chat/users/{user}/recall?q={q}&limit=5", user, query)
			.retrieve()
			.body(Map.class);
		return ((List<?>) found.get("hits")).stream().<Map<?, ?>>map((hit) -> (Map<?, ?>) hit).toList();
	}

	@Test
	void theActuatorReindexes() {
		this.manager.createSession(new NewSession("gus-1", "gus", "One", Map.of()));
		Map<?, ?> answer = client().post()
			.uri("/actuator/chatmemory/recall-reindex")
			.body(Map.of("user", "gus"))
			.retrieve()
			.body(Map.class);
		assertThat(answer.get("recallEnabled")).isEqualTo(true);
		assertThat(answer.get("user")).isEqualTo("gus");
	}

	private RestClient client() {
		return RestClient.create("http://localhost:" + this.port);
	}

	private String send(String session, String message) {
		Map<?, ?> reply = client().post()
			.uri("/assistant/sessions/{id}/messages", session)
			.body(Map.of("message", message))
			.retrieve()
			.body(Map.class);
		return (String) reply.get("reply");
	}

}
