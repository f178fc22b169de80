package io.github.chatmemory.reliability;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.autoconfigure.ChatMemoryRecallAutoConfiguration;
import io.github.chatmemory.recall.MiniLmEmbeddingModel;
import io.github.chatmemory.recall.RecallHit;
import io.github.chatmemory.store.RecallTask;
import io.github.chatmemory.store.jdbc.JdbcChatMemoryStore;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.api.Test;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An append acknowledged while indexing cannot run is recalled after the application
 * starts again: the recall task waits in PostgreSQL, written with the message, and the
 * next application's indexer finds it. Both applications share the tables and the
 * application's vector store (Spring AI's {@link SimpleVectorStore}), as two deployments
 * of one service would.
 */
class JdbcRecallCrashIT {

	@Test
	void aMessageAcknowledgedWhileIndexingCannotRunIsRecalledAfterARestart() {
		TestDatabases.Tables tables = TestDatabases.POSTGRESQL.createTables();
		FailingEmbeddingModel model = new FailingEmbeddingModel(new MiniLmEmbeddingModel());
		SimpleVectorStore vectors = SimpleVectorStore.builder(model).build();
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ChatMemoryAutoConfiguration.class, ChatMemoryRecallAutoConfiguration.class))
			// not the pool itself, which a closing context would close
			.withBean(DataSource.class, () -> new DelegatingDataSource(tables.dataSource()))
			.withBean(EmbeddingModel.class, () -> model)
			.withBean(VectorStore.class, () -> vectors)
			.withPropertyValues("chat-memory.store=jdbc", "chat-memory.jdbc.table-prefix=" + tables.prefix(),
					"chat-memory.jdbc.initialize-schema=never", "chat-memory.recall.enabled=true",
					"chat-memory.recall.indexer.interval=100ms");
		JdbcChatMemoryStore store = new JdbcChatMemoryStore(tables.dataSource(), tables.settings(0),
				Clock.systemUTC());
		try {
			model.failing.set(true);
			runner.run((context) -> {
				assertThat(context).hasNotFailed();
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				manager.createSession(new NewSession("trip", "ada", "Holidays", Map.of()));
				manager.appendMessages("trip", List.of(NewMessage
					.of(MessageRole.USER, "I am planning a hiking trip to the Dolomites in September")
					.withId("m-1")));
				int attempts = model.attempts.get();
				awaitTrue(() -> model.attempts.get() > attempts, "the indexer tried to embed the message");
			});
			// the application is gone, its indexer never succeeded: the task waits in the database
			assertThat(store.findRecallTasks(10)).extracting(RecallTask::sessionId).containsExactly("trip");

			model.failing.set(false);
			assertThat(vectors.similaritySearch("Dolomites")).as("vectors before the restart").isEmpty();
			runner.run((context) -> {
				assertThat(context).hasNotFailed();
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				awaitTrue(() -> manager.recall("ada", "a mountain walking holiday in Italy", 5)
					.hits()
					.stream()
					.map(RecallHit::messageId)
					.anyMatch("m-1"::equals), "recall finds the message");
				assertThat(manager.recall("bob", "a mountain walking holiday in Italy", 5).hits())
					.as("another user's recall").isEmpty();
			});
			assertThat(store.countRecallTasks()).isZero();
		}
		finally {
			tables.drop();
		}
	}

	private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/**
	 * The offline embedding model behind a switch that makes every call fail, as an
	 * embedding service that is down.
	 */
	static final class FailingEmbeddingModel implements EmbeddingModel {

		private final EmbeddingModel delegate;

		final AtomicBoolean failing = new AtomicBoolean();

		final AtomicInteger attempts = new AtomicInteger();

		FailingEmbeddingModel(EmbeddingModel delegate) {
			this.delegate = delegate;
		}

		@Override
		public EmbeddingResponse call(EmbeddingRequest request) {
			check();
			return this.delegate.call(request);
		}

		@Override
		public float[] embed(Document document) {
			check();
			return this.delegate.embed(document);
		}

		@Override
		public int dimensions() {
			return this.delegate.dimensions();
		}

		private void check() {
			this.attempts.incrementAndGet();
			if (this.failing.get()) {
				throw new IllegalStateException("the embedding service is down");
			}
		}

	}

}
