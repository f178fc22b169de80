package io.github.chatmemory.recall;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.actuate.ChatMemoryRecallHealthIndicator;
import io.github.chatmemory.actuate.ChatMemoryRecallMetrics;
import io.github.chatmemory.store.RecallTask;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The recall indexer when its embedding model fails and recovers, its meters and health,
 * and its own thread; on the real MiniLM model.
 */
class RecallIndexerTests {

	private static MiniLmEmbeddingModel model;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final SwitchableEmbeddingModel embeddingModel = new SwitchableEmbeddingModel();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ChatMemoryRecallMetrics metrics = new ChatMemoryRecallMetrics(this.meters);

	private InMemoryChatMemoryStore store;

	private EmbeddedRecallIndex index;

	private RecallIndexer indexer;

	@BeforeAll
	static void loadModel() {
		model = new MiniLmEmbeddingModel();
	}

	@AfterAll
	static void closeModel() {
		model.close();
	}

	@BeforeEach
	void setUp() {
		this.store = new InMemoryChatMemoryStore(100, 100, this.clock);
		this.store.enableRecallTasks();
		this.index = new EmbeddedRecallIndex(this.embeddingModel, 1000);
		this.indexer = new RecallIndexer(this.store, this.index, RecallIndexingSettings.defaults(), this.metrics,
				RecallIndexer.Lock.NONE, false, this.clock);
	}

	@Test
	void aFailingModelLeavesTheTasksQueuedAndTheyAreIndexedAfterRecovery() {
		append("s", "ada", "The wifi password is written under the router");
		this.embeddingModel.failing.set(true);
		assertThat(this.indexer.runOnce().outcome()).isEqualTo(RecallIndexer.Outcome.FAILED);
		assertThat(this.indexer.runOnce().outcome()).isEqualTo(RecallIndexer.Outcome.FAILED);
		assertThat(this.store.countRecallTasks()).isOne();
		assertThat(this.index.size()).isZero();
		assertThat(this.indexer.getStatus().consecutiveFailures()).isEqualTo(2);
		assertThat(this.indexer.getStatus().lastError()).contains("embedding service down");
		assertThat(this.meters.counter(ChatMemoryRecallMetrics.INDEXING_FAILURES).count()).isEqualTo(2);
		this.embeddingModel.failing.set(false);
		assertThat(this.indexer.runOnce().outcome()).isEqualTo(RecallIndexer.Outcome.SUCCEEDED);
		assertThat(this.index.messageIds("s")).containsExactly("s-1");
		assertThat(this.store.countRecallTasks()).isZero();
		assertThat(this.indexer.getStatus().consecutiveFailures()).isZero();
		assertThat(this.meters.counter(ChatMemoryRecallMetrics.MESSAGES_INDEXED).count()).isEqualTo(1);
	}

	@Test
	void aSessionTheModelRefusesStaysQueuedWithoutHoldingUpTheOthers() {
		append("refused", "ada", "This text is REFUSED by the embedding model");
		this.clock.advance(java.time.Duration.ofSeconds(1));
		append("fine", "ada", "The boiler service is booked for Tuesday morning");
		this.embeddingModel.refused = "REFUSED";
		RecallIndexer.PassResult pass = this.indexer.runOnce();
		assertThat(pass.outcome()).isEqualTo(RecallIndexer.Outcome.SUCCEEDED);
		assertThat(pass.workLeft()).as("the refused task waits for the next interval, not a busy loop").isFalse();
		assertThat(this.index.messageIds("fine")).containsExactly("fine-1");
		assertThat(this.index.messageIds("refused")).isEmpty();
		assertThat(this.store.findRecallTasks(10)).extracting(RecallTask::sessionId).containsExactly("refused");
		assertThat(this.meters.counter(ChatMemoryRecallMetrics.INDEXING_FAILURES).count()).isOne();
		assertThat(this.indexer.runOnce().outcome()).as("a pass whose every task fails has failed")
			.isEqualTo(RecallIndexer.Outcome.FAILED);
		this.embeddingModel.refused = "\u0000never";
		assertThat(this.indexer.runOnce().outcome()).isEqualTo(RecallIndexer.Outcome.SUCCEEDED);
		assertThat(this.index.messageIds("refused")).containsExactly("refused-1");
		assertThat(this.store.countRecallTasks()).isZero();
	}

	@Test
	void anAppendWhoseIndexerDiedBeforeCompletingIsIndexedByTheNextIndexer() {
		append("s", "ada", "The car insurance renewal is due in October");
		// an indexer that wrote the vectors and died before it completed the task
		RecallIndex dyingAfterWrite = new RecallIndex() {

			@Override
			public void add(List<RecallDocument> documents) {
				RecallIndexerTests.this.index.add(documents);
				throw new IllegalStateException("process killed");
			}

			@Override
			public void deleteSession(String sessionId) {
			}

			@Override
			public void deleteUser(String userId) {
			}

			@Override
			public void deleteAll() {
			}

			@Override
			public List<Match> search(String userId, String query, int topK, Set<String> excludedSessionIds) {
				return List.of();
			}

			@Override
			public String description() {
				return "dying";
			}

		};
		RecallIndexer dying = new RecallIndexer(this.store, dyingAfterWrite, RecallIndexingSettings.defaults(),
				this.metrics, RecallIndexer.Lock.NONE, false, this.clock);
		assertThat(dying.runOnce().outcome()).isEqualTo(RecallIndexer.Outcome.FAILED);
		assertThat(this.index.messageIds("s")).containsExactly("s-1");
		assertThat(this.store.countRecallTasks()).as("the task outlives the indexer").isOne();
		RecallIndexer restarted = new RecallIndexer(this.store, this.index, RecallIndexingSettings.defaults(),
				this.metrics, RecallIndexer.Lock.NONE, false, this.clock);
		assertThat(restarted.runOnce().outcome()).isEqualTo(RecallIndexer.Outcome.SUCCEEDED);
		assertThat(this.index.messageIds("s")).containsExactly("s-1");
		assertThat(this.store.countRecallTasks()).isZero();
	}

	@Test
	void aPassSkippedBecauseAnotherInstanceHoldsTheLockLeavesTheQueueAlone() {
		append("s", "ada", "Another instance indexes this one");
		RecallIndexer locked = new RecallIndexer(this.store, this.index, RecallIndexingSettings.defaults(),
				this.metrics, (pass) -> false, false, this.clock);
		assertThat(locked.runOnce().outcome()).isEqualTo(RecallIndexer.Outcome.SKIPPED);
		assertThat(this.store.countRecallTasks()).isOne();
		assertThat(this.index.size()).isZero();
	}

	@Test
	void aRebuildThatFailsMidwayStaysARebuild() {
		append("s", "ada", "The spare key is under the blue flower pot");
		this.indexer.runOnce();
		this.store.replaceMessages("s", List.of(NewMessage.of(MessageRole.USER, "The spare key is now with the neighbour")
			.withId("s-2")));
		this.embeddingModel.failing.set(true);
		this.indexer.runOnce();
		assertThat(this.store.findRecallTasks(10)).singleElement().satisfies((task) -> assertThat(task.rebuild()).isTrue());
		this.embeddingModel.failing.set(false);
		this.indexer.runOnce();
		assertThat(this.index.messageIds("s")).containsExactly("s-2");
	}

	@Test
	void healthIsDownAfterRepeatedFailuresOnlyAndShowsTheIndexAndQueue() {
		ChatMemoryRecallHealthIndicator health = new ChatMemoryRecallHealthIndicator(this.indexer, 2);
		append("s", "ada", "The plants need water on Sundays");
		this.embeddingModel.failing.set(true);
		this.indexer.runOnce();
		assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
		this.indexer.runOnce();
		assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.health(true).getDetails()).containsEntry("lastPass", "failed")
			.containsEntry("index", this.index.description());
		this.embeddingModel.failing.set(false);
		this.indexer.runOnce();
		assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
		assertThat(health.health(true).getDetails()).containsEntry("queueLength", 0L)
			.containsEntry("lastPass", "succeeded");
	}

	@Test
	void theQueueLengthGaugeIsWhatTheLastPassCounted() {
		RecallIndexer small = new RecallIndexer(this.store, this.index,
				new RecallIndexingSettings(Set.of(MessageRole.USER), 1, 100, 1, 100, 10, java.time.Duration.ofSeconds(1),
						java.time.Duration.ofSeconds(1)),
				this.metrics, RecallIndexer.Lock.NONE, false, this.clock);
		append("a", "ada", "first session text");
		append("b", "ada", "second session text");
		append("c", "ada", "third session text");
		small.runOnce();
		assertThat(this.meters.get(ChatMemoryRecallMetrics.QUEUE_LENGTH).gauge().value()).isEqualTo(2);
		// a scrape never asks the store: the gauge stays as counted until the next pass
		append("d", "ada", "fourth session text");
		assertThat(this.meters.get(ChatMemoryRecallMetrics.QUEUE_LENGTH).gauge().value()).isEqualTo(2);
	}

	@Test
	void aRecallWhoseModelFailsIsUnavailableNotAnError() {
		ChatMemoryManager manager = ChatMemoryManager.builder(this.store)
			.recall(new IndexedChatMemoryRecall(this.store, this.index, RecallIndexingSettings.defaults(), 200, 100,
					this.metrics))
			.build();
		this.embeddingModel.failing.set(true);
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> manager.recall("ada", "anything at all", 5))
			.withMessageContaining("Semantic recall is unavailable")
			.withMessageContaining("embedding service down");
		this.embeddingModel.failing.set(false);
		manager.recall("ada", "anything at all", 5);
		assertThat(this.meters.timer(ChatMemoryRecallMetrics.RECALL_DURATION).count()).isOne();
	}

	@Test
	void runsOnItsOwnThreadUntilStopped() {
		RecallIndexer running = new RecallIndexer(this.store, this.index,
				new RecallIndexingSettings(Set.of(MessageRole.USER), 1, 100, 10, 100, 10,
						java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(50)),
				this.metrics, RecallIndexer.Lock.NONE, false, this.clock);
		running.start();
		try {
			append("s", "ada", "indexed in the background");
			await().atMost(java.time.Duration.ofSeconds(10)).until(() -> this.index.messageIds("s").contains("s-1"));
		}
		finally {
			running.stop();
		}
		assertThat(running.isRunning()).isFalse();
		append("t", "ada", "written after the stop");
		assertThat(running.getStatus().lastOutcome()).isEqualTo(RecallIndexer.Outcome.SUCCEEDED);
		assertThat(this.store.countRecallTasks()).isOne();
	}

	private void append(String sessionId, String userId, String text) {
		if (this.store.findSession(sessionId).isEmpty()) {
			this.store.createSession(sessionId, userId, "", Map.of());
		}
		this.store.append(sessionId, List.of(NewMessage.of(MessageRole.USER, text).withId(sessionId + "-1")), false,
				null);
	}

	/** The real model, or an outage of it. */
	static final class SwitchableEmbeddingModel implements EmbeddingModel {

		final AtomicBoolean failing = new AtomicBoolean();

		/** Texts holding it are refused, as a model refuses some inputs. */
		volatile String refused = "\u0000never";

		@Override
		public EmbeddingResponse call(EmbeddingRequest request) {
			check();
			if (request.getInstructions().stream().anyMatch((text) -> text.contains(this.refused))) {
				throw new IllegalArgumentException("input refused by the embedding model");
			}
			return model.call(request);
		}

		@Override
		public float[] embed(Document document) {
			check();
			return model.embed(document);
		}

		@Override
		public int dimensions() {
			return model.dimensions();
		}

		private void check() {
			if (this.failing.get()) {
				throw new IllegalStateException("embedding service down");
			}
		}

	}

}
