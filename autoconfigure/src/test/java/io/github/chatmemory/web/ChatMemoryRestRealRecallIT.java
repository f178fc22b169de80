package io.github.chatmemory.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.client.ChatMemoryClient;
import io.github.chatmemory.recall.MiniLmEmbeddingModel;
import io.github.chatmemory.web.api.RecallResponse;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code GET /users/{userId}/recall} on the real recall: the recall auto-configuration
 * with the offline MiniLM model and the embedded index, over the test Redis and its
 * recall queue. A paraphrase finds the user's message in another session, never another
 * user's.
 */
@SpringBootTest(classes = { RestTestApplication.class, ChatMemoryRestRealRecallIT.Embeddings.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "chat-memory.recall.enabled=true", "chat-memory.recall.indexer.interval=100ms" })
class ChatMemoryRestRealRecallIT {

	private static final String ROME = "I can't wait to walk around the ancient amphitheatre in Rome";

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		RestTestApplication.redisProperties(registry);
	}

	@Test
	void aParaphraseFindsTheUsersOwnMessageNeverAnotherUsers() throws InterruptedException {
		this.manager.createSession(new NewSession("ada-rome", "ada", "Trip to Rome", Map.of()));
		this.manager.createSession(new NewSession("ada-cake", "ada", "Baking", Map.of()));
		this.manager.createSession(new NewSession("bob-rome", "bob", "Bob in Rome", Map.of()));
		this.manager.appendMessage("ada-rome", NewMessage.of(MessageRole.USER, ROME));
		this.manager.appendMessage("ada-cake", NewMessage.of(MessageRole.USER, "My carrot cake needs more sugar"));
		this.manager.appendMessage("bob-rome",
				NewMessage.of(MessageRole.USER, "Bob wants to walk around the ancient amphitheatre in Rome"));
		ChatMemoryClient ada = RestClients.client(this.port, "ada");

		List<RecallResponse.Hit> hits = List.of();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (hits.size() < 2 && System.nanoTime() < deadline) {
			// indexing runs in the background
			Thread.sleep(100);
			hits = ada.recall("ada", "visiting the Colosseum", 5).hits();
		}

		assertThat(hits).extracting(RecallResponse.Hit::sessionId).containsExactly("ada-rome", "ada-cake");
		RecallResponse.Hit best = hits.get(0);
		assertThat(best.snippet()).isEqualTo(ROME);
		assertThat(best.sessionTitle()).isEqualTo("Trip to Rome");
		assertThat(best.score()).isGreaterThan(hits.get(1).score());
		assertThat(hits.toString()).doesNotContain("Bob");
		assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
			.isThrownBy(() -> RestClients.client(this.port, "bob").recall("ada", "visiting the Colosseum", 5));
	}

	/**
	 * The offline embedding model, as the sample app provides it.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Embeddings {

		@Bean
		MiniLmEmbeddingModel miniLmEmbeddingModel() {
			return new MiniLmEmbeddingModel();
		}

	}

}
