package io.github.chatmemory.recall;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.RecallTask;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's re-index while the user's sessions move in the listing it pages through.
 */
class IndexedChatMemoryRecallReindexTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	@Test
	void aSessionWrittenWhileTheSessionsArePagedIsQueuedForARebuildToo() {
		InMemoryChatMemoryStore store = new InMemoryChatMemoryStore(1000, 100, this.clock);
		store.enableRecallTasks();
		for (int i = 0; i < 150; i++) {
			store.createSession("s" + i, "ada", "", Map.of());
			this.clock.advance(Duration.ofSeconds(1));
		}
		AtomicBoolean moved = new AtomicBoolean();
		// the oldest session, on the second page, is written just before that page is read:
		// it moves to the front, onto the page already read
		ChatMemoryStore moving = (ChatMemoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ChatMemoryStore.class }, (proxy, method, args) -> {
					if (method.getName().equals("findSessionsByUser") && (int) args[1] == 1
							&& moved.compareAndSet(false, true)) {
						this.clock.advance(Duration.ofSeconds(1));
						store.append("s0", List.of(NewMessage.of(MessageRole.USER, "written meanwhile").withId("m")),
								false, null);
					}
					try {
						return method.invoke(store, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
		IndexedChatMemoryRecall recall = new IndexedChatMemoryRecall(moving,
				new EmbeddedRecallIndex(new UnusedEmbeddingModel(), 10), RecallIndexingSettings.defaults(), 200, 100,
				RecallListener.NONE);
		assertThat(recall.reindex("ada")).isEqualTo(150);
		assertThat(moved).isTrue();
		List<RecallTask> tasks = store.findRecallTasks(1000);
		assertThat(tasks).hasSize(150).allSatisfy((task) -> assertThat(task.rebuild()).as(task.sessionId()).isTrue());
	}

	/** A re-index removes vectors and queues tasks: it embeds nothing. */
	static final class UnusedEmbeddingModel implements EmbeddingModel {

		@Override
		public EmbeddingResponse call(EmbeddingRequest request) {
			throw new AssertionError("a re-index embeds nothing");
		}

		@Override
		public float[] embed(Document document) {
			throw new AssertionError("a re-index embeds nothing");
		}

	}

}
