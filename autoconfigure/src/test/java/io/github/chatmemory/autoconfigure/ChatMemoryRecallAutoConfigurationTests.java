package io.github.chatmemory.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.actuate.ChatMemoryRecallHealthIndicator;
import io.github.chatmemory.recall.ChatMemoryRecall;
import io.github.chatmemory.recall.EmbeddedRecallIndex;
import io.github.chatmemory.recall.MiniLmEmbeddingModel;
import io.github.chatmemory.recall.RecallHit;
import io.github.chatmemory.recall.RecallIndex;
import io.github.chatmemory.recall.RecallIndexer;
import io.github.chatmemory.recall.VectorStoreRecallIndex;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.RecordingChatMemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChatMemoryRecallAutoConfiguration}, on the real MiniLM model.
 */
class ChatMemoryRecallAutoConfigurationTests {

	private static MiniLmEmbeddingModel model;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ChatMemoryAutoConfiguration.class, ChatMemoryRecallAutoConfiguration.class))
		.withPropertyValues("chat-memory.store=in-memory", "chat-memory.recall.indexer.interval=50ms");

	@BeforeAll
	static void loadModel() {
		model = new MiniLmEmbeddingModel();
	}

	@AfterAll
	static void closeModel() {
		model.close();
	}

	@Test
	void offWithoutThePropertyEvenWithAnEmbeddingModel() {
		this.contextRunner.withBean(EmbeddingModel.class, SharedModel::new).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(RecallIndex.class)
				.doesNotHaveBean(RecallIndexer.class)
				.doesNotHaveBean(ChatMemoryRecall.class)
				.doesNotHaveBean(ChatMemoryRecallHealthIndicator.class);
			assertThat(context.getBean(ChatMemoryManager.class).isRecallEnabled()).isFalse();
			assertThat(context.getBean(ChatMemoryStore.class).isRecallTasksEnabled()).isFalse();
		});
	}

	@Test
	void onWithoutAnEmbeddingModelFailsNamingThePropertyAndWhatToAdd() {
		this.contextRunner.withPropertyValues("chat-memory.recall.enabled=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidChatMemoryPropertyException.class)
				.hasMessageContaining("chat-memory.recall.enabled")
				.hasMessageContaining("EmbeddingModel");
			FailureAnalysis analysis = new ChatMemoryConfigurationFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("chat-memory.recall.enabled")
				.contains("needs a Spring AI EmbeddingModel bean");
			assertThat(analysis.getAction()).contains("chat-memory.recall.enabled=false");
		});
	}

	@Test
	void withoutAVectorStoreRecallRunsOnTheEmbeddedIndexEndToEnd() {
		this.contextRunner.withPropertyValues("chat-memory.recall.enabled=true")
			.withBean(EmbeddingModel.class, SharedModel::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RecallIndex.class)).isInstanceOf(EmbeddedRecallIndex.class);
				assertThat(context.getBean(ChatMemoryStore.class).isRecallTasksEnabled()).isTrue();
				assertThat(context).hasBean("chatMemoryRecallHealthIndicator");
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				assertThat(manager.isRecallEnabled()).isTrue();
				manager.getStore().createSession("cooking", "ada", "Cooking", Map.of());
				manager.appendMessages("cooking", List.of(NewMessage.of(MessageRole.USER,
						"My grandmother's recipe for apple pie uses cinnamon and a pinch of nutmeg")));
				await().atMost(Duration.ofSeconds(20))
					.until(() -> !manager.recall("ada", "how did granny bake her fruit tart", 3).hits().isEmpty());
				RecallHit hit = manager.recall("ada", "how did granny bake her fruit tart", 3).hits().get(0);
				assertThat(hit.sessionId()).isEqualTo("cooking");
				assertThat(hit.sessionTitle()).isEqualTo("Cooking");
				assertThat(manager.recall("bob", "how did granny bake her fruit tart", 3).hits()).isEmpty();
			});
	}

	@Test
	void theApplicationsOnlyVectorStoreIsUsed() {
		this.contextRunner.withPropertyValues("chat-memory.recall.enabled=true")
			.withBean(EmbeddingModel.class, SharedModel::new)
			.withBean("appVectors", VectorStore.class, () -> SimpleVectorStore.builder(new SharedModel()).build())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RecallIndex index = context.getBean(RecallIndex.class);
				assertThat(index).isInstanceOf(VectorStoreRecallIndex.class);
				assertThat(index.description()).contains("'appVectors'");
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				manager.getStore().createSession("garden", "ada", "Garden", Map.of());
				manager.appendMessages("garden", List.of(NewMessage.of(MessageRole.USER,
						"The tomatoes on the balcony need a bigger pot and more sun")));
				String query = "my vegetable plants outside want more light";
				await().atMost(Duration.ofSeconds(20)).until(() -> !manager.recall("ada", query, 3).hits().isEmpty());
				assertThat(manager.recall("ada", query, 3).hits().get(0).sessionId()).isEqualTo("garden");
				List<Document> documents = context.getBean(VectorStore.class)
					.similaritySearch(SearchRequest.builder().query(query).topK(5).build());
				assertThat(documents).singleElement()
					.satisfies((document) -> assertThat(document.getMetadata()).containsEntry("chat_memory_user", "ada")
						.containsEntry("chat_memory_session", "garden")
						.containsEntry("chat_memory_role", "user")
						.containsKey("chat_memory_message")
						.containsKey("chat_memory_sequence"));
			});
	}

	@Test
	void twoVectorStoresNeedThePropertyThatNamesOne() {
		ApplicationContextRunner twoStores = this.contextRunner.withPropertyValues("chat-memory.recall.enabled=true")
			.withBean(EmbeddingModel.class, SharedModel::new)
			.withBean("first", VectorStore.class, () -> SimpleVectorStore.builder(new SharedModel()).build())
			.withBean("second", VectorStore.class, () -> SimpleVectorStore.builder(new SharedModel()).build());
		twoStores.run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidChatMemoryPropertyException.class)
				.hasMessageContaining("chat-memory.recall.vector-store")
				.hasMessageContaining("[first, second]");
		});
		twoStores.withPropertyValues("chat-memory.recall.vector-store=second")
			.run((context) -> assertThat(context.getBean(RecallIndex.class).description()).contains("'second'"));
		twoStores.withPropertyValues("chat-memory.recall.vector-store=third").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("chat-memory.recall.vector-store=third")
				.hasMessageContaining("names no VectorStore bean");
		});
	}

	@Test
	void aStoreWithoutARecallQueueFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("chat-memory.recall.enabled=true")
			.withBean(EmbeddingModel.class, SharedModel::new)
			.withBean(ChatMemoryStore.class,
					() -> new RecordingChatMemoryStore(new InMemoryChatMemoryStore(10, 10, Clock.systemUTC())))
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				while (failure != null && !(failure instanceof InvalidChatMemoryPropertyException)) {
					failure = failure.getCause();
				}
				assertThat(failure).isInstanceOf(InvalidChatMemoryPropertyException.class)
					.hasMessageContaining("chat-memory.recall.enabled")
					.hasMessageContaining("keeps no recall queue");
			});
	}

	@Test
	void aBadValueFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("chat-memory.recall.enabled=true", "chat-memory.recall.max-characters=0")
			.withBean(EmbeddingModel.class, SharedModel::new)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidChatMemoryPropertyException.class)
					.hasMessageContaining("chat-memory.recall.max-characters");
			});
	}

	@Test
	void everyRecallPropertyHasMetadataAndIsInTheReadme() throws Exception {
		String metadata = new String(getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")
			.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
		java.util.regex.Matcher names = java.util.regex.Pattern.compile("\"name\": \"(chat-memory\\.recall\\.[a-z.-]+)\"")
			.matcher(metadata.substring(metadata.indexOf("\"properties\"")));
		List<String> properties = new java.util.ArrayList<>();
		while (names.find()) {
			properties.add(names.group(1));
		}
		assertThat(properties).contains("chat-memory.recall.enabled", "chat-memory.recall.vector-store",
				"chat-memory.recall.embedded.max-vectors", "chat-memory.recall.indexer.messages-per-pass");
		for (String property : properties) {
			assertThat(readme).as(property).contains("`" + property + "`");
		}
		assertThat(readme).contains("`management.health.chatmemoryrecall.enabled`");
	}

	/** The test's one model, which a context must not close. */
	static final class SharedModel implements EmbeddingModel {

		@Override
		public EmbeddingResponse call(EmbeddingRequest request) {
			return model.call(request);
		}

		@Override
		public float[] embed(Document document) {
			return model.embed(document);
		}

		@Override
		public int dimensions() {
			return model.dimensions();
		}

	}

}
