package io.github.chatmemory.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.autoconfigure.ChatMemoryRecallAutoConfiguration;
import io.github.chatmemory.recall.MiniLmEmbeddingModel;
import io.github.chatmemory.recall.RecallHit;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16's promise on Redis: a message whose append was acknowledged while it could not
 * be indexed is found by recall once an application starts again on the same Redis, even
 * when the instance died between the append's script and its queue entry. The vectors
 * live in an application VectorStore shared by both application contexts, as a vector
 * database outlives the application.
 */
class RedisRecallCrashIT {

	@Test
	void aMessageAcknowledgedWhileIndexingCouldNotRunIsRecalledAfterARestart() {
		RedisServerProcess redis = RedisServerProcess.start();
		MiniLmEmbeddingModel model = new MiniLmEmbeddingModel();
		try {
			GatedModel gated = new GatedModel(model);
			VectorStore vectors = SimpleVectorStore.builder(gated).build();
			ApplicationContextRunner application = new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
						ChatMemoryAutoConfiguration.class, ChatMemoryRecallAutoConfiguration.class))
				.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
						"chat-memory.store=redis", "chat-memory.redis.key-prefix=crash:",
						"chat-memory.recall.enabled=true", "chat-memory.recall.indexer.interval=50ms")
				.withBean(EmbeddingModel.class, () -> gated)
				.withBean("appVectors", VectorStore.class, () -> vectors);
			String text = "The tomatoes on the balcony need a bigger pot and more sun";
			application.run((context) -> {
				assertThat(context).hasNotFailed();
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				ChatMemoryStore store = manager.getStore();
				store.createSession("garden", "ada", "Garden", Map.of());
				manager.appendMessages("garden", List.of(NewMessage.of(MessageRole.USER, text)));
				// indexing passes run and fail while the embedding model is down
				await().atMost(Duration.ofSeconds(10)).until(() -> gated.refused.get());
				assertThat(store.countRecallTasks()).isOne();
			});
			// the instance also died between the script and its queue entry
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
			try {
				factory.afterPropertiesSet();
				factory.start();
				StringRedisTemplate template = new StringRedisTemplate(factory);
				assertThat(template.hasKey("crash:{s:garden}:rq")).isTrue();
				template.opsForZSet().remove("crash:recall:queue", "garden");
			}
			finally {
				factory.destroy();
			}
			gated.open.set(true);
			application.run((context) -> {
				assertThat(context).hasNotFailed();
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				String query = "my vegetable plants outside want more light";
				await().atMost(Duration.ofSeconds(30)).until(() -> !manager.recall("ada", query, 3).hits().isEmpty());
				RecallHit hit = manager.recall("ada", query, 3).hits().get(0);
				assertThat(hit.sessionId()).isEqualTo("garden");
				await().atMost(Duration.ofSeconds(10)).until(() -> manager.getStore().countRecallTasks() == 0);
			});
		}
		finally {
			model.close();
			redis.stop();
		}
	}

	/** The real model behind a gate: down (every call fails) until opened. */
	static final class GatedModel implements EmbeddingModel {

		final AtomicBoolean open = new AtomicBoolean();

		final AtomicBoolean refused = new AtomicBoolean();

		private final MiniLmEmbeddingModel model;

		GatedModel(MiniLmEmbeddingModel model) {
			this.model = model;
		}

		@Override
		public EmbeddingResponse call(EmbeddingRequest request) {
			check();
			return this.model.call(request);
		}

		@Override
		public float[] embed(Document document) {
			check();
			return this.model.embed(document);
		}

		@Override
		public int dimensions() {
			return this.model.dimensions();
		}

		private void check() {
			if (!this.open.get()) {
				this.refused.set(true);
				throw new IllegalStateException("embedding model down");
			}
		}

	}

}
