package io.github.chatmemory.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.autoconfigure.ChatMemoryManagerBuilderCustomizer;
import io.github.chatmemory.recall.ChatMemoryRecall;
import io.github.chatmemory.recall.RecallHit;
import io.github.chatmemory.recall.RecallResult;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample started with {@code --chat-memory.recall.enabled=true} alone: the REST
 * recall endpoint finds what the user said in another conversation, the assistant's
 * recall advisor puts it in the prompt (the demo model answers from it), and the actuator
 * re-indexes; never another user's words.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "chat-memory.recall.enabled=true")
class SampleSemanticRecallTests {

	@LocalServerPort
	int port;

	@Autowired
	ChatMemoryManager manager;

	@Test
	void recallsWhatTheUserSaidInAnotherConversation() {
		assertThat(this.manager.isRecallEnabled()).isTrue();
		this.manager.createSession(new NewSession("eve-pets", "eve", "Pets", Map.of()));
		this.manager.createSession(new NewSession("eve-today", "eve", "Today", Map.of()));
		this.manager.createSession(new NewSession("fay-pets", "fay", "Fay's pets", Map.of()));
		send("eve-pets", "I adopted a puppy named Rex last week");
		send("fay-pets", "My puppy Bella chews every shoe");

		Map<?, ?> found = client().get()
			.uri("/api/v1/chat/users/eve/recall?q={q}&limit=5", "the puppy I adopted")
			.retrieve()
			.body(Map.class);
		List<?> hits = (List<?>) found.get("hits");
		assertThat(hits).isNotEmpty();
		Map<?, ?> best = (Map<?, ?>) hits.get(0);
		assertThat(best.get("session_title")).isEqualTo("Pets");
		assertThat(best.get("snippet")).isEqualTo("I adopted a puppy named Rex last week");
		assertThat(found.toString()).doesNotContain("Bella");

		assertThat(send("eve-today", "Which puppy did I adopt?"))
			.startsWith(DemoChatModel.LABEL + "From your other conversations I recall: In \"Pets\" (")
			.contains("user: I adopted a puppy named Rex last week")
			.doesNotContain("Bella");
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

	/**
	 * A stand-in recall scoring by shared words, until the recall engine lands: the same
	 * answers for these texts.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class SharedWordsRecall {

		@Bean
		ChatMemoryManagerBuilderCustomizer sharedWordsRecall(ObjectProvider<ChatMemoryManager> manager) {
			return (builder) -> builder.recall(new ChatMemoryRecall() {

				@Override
				public RecallResult recall(String userId, String query, int limit, Set<String> excluded) {
					Set<String> words = words(query);
					List<RecallHit> hits = new ArrayList<>();
					for (ChatSession session : manager.getObject().listSessions(userId, 0, 100).items()) {
						if (excluded.contains(session.id())) {
							continue;
						}
						for (StoredMessage message : manager.getObject()
							.getMessages(session.id(), MessageQuery.latest(100))) {
							long shared = words(message.content()).stream().filter(words::contains).count();
							if (shared > 0) {
								hits.add(new RecallHit(session.id(), session.title(), message.id(), message.sequence(),
										message.role(), (double) shared / words.size(), message.content(),
										message.createdAt()));
							}
						}
					}
					hits.sort(Comparator.comparingDouble(RecallHit::score).reversed());
					return new RecallResult(hits.subList(0, Math.min(limit, hits.size())));
				}

				@Override
				public long reindex(@Nullable String userId) {
					return 0;
				}

			});
		}

		static Set<String> words(String text) {
			return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+"))
				.filter((word) -> word.length() > 3)
				.collect(Collectors.toSet());
		}

	}

}
