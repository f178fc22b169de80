package io.github.chatmemory.store.memory;

import java.util.List;
import java.util.Map;

import io.github.chatmemory.store.AbstractRecallQueueContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.RecallTask;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recall queue contract on {@link InMemoryChatMemoryStore}, plus its bound.
 */
class InMemoryRecallQueueTests extends AbstractRecallQueueContractTests {

	@Override
	protected ChatMemoryStore createStore() {
		return new InMemoryChatMemoryStore(1000, 1000, this.clock);
	}

	@Test
	void anEvictedSessionQueuesTheRemovalOfItsVectors() {
		InMemoryChatMemoryStore bounded = new InMemoryChatMemoryStore(2, 10, this.clock);
		bounded.enableRecallTasks();
		bounded.createSession("a", "ada", "", Map.of());
		bounded.createSession("b", "ada", "", Map.of());
		bounded.createSession("c", "ada", "", Map.of());
		assertThat(bounded.findSession("a")).isEmpty();
		assertThat(bounded.findRecallTasks(10)).singleElement().satisfies((task) -> {
			assertThat(task.sessionId()).isEqualTo("a");
			assertThat(task.rebuild()).isTrue();
		});
	}

	@Test
	void tasksOfSessionsThatAreGoneAreBoundedByMaxSessionsOldestDroppedFirst() {
		InMemoryChatMemoryStore bounded = new InMemoryChatMemoryStore(3, 10, this.clock);
		bounded.enableRecallTasks();
		for (int i = 0; i < 3; i++) {
			bounded.createSession("live-" + i, "ada", "", Map.of());
			bounded.append("live-" + i, List.of(message("m-" + i, "text")), false, null);
		}
		for (int i = 0; i < 10; i++) {
			bounded.queueRecallRebuild("gone-" + i);
		}
		List<RecallTask> tasks = bounded.findRecallTasks(100);
		assertThat(tasks).hasSize(6);
		assertThat(tasks).extracting(RecallTask::sessionId)
			.containsExactly("live-0", "live-1", "live-2", "gone-7", "gone-8", "gone-9");
	}

}
