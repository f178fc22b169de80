package io.github.chatmemory.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.test.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recall queue every {@link ChatMemoryStore} keeps once
 * {@link ChatMemoryStore#enableRecallTasks()} is called, run against each store by a
 * subclass: one task per session, queued with the write that needs it, removed only by a
 * completion that saw every write merged into it.
 */
public abstract class AbstractRecallQueueContractTests {

	protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	protected ChatMemoryStore store;

	/**
	 * Create a fresh, empty store with recall tasks not yet enabled.
	 * @return the store
	 */
	protected abstract ChatMemoryStore createStore();

	@BeforeEach
	void createEnabledStore() {
		this.store = createStore();
		this.store.enableRecallTasks();
	}

	@Test
	void aStoreQueuesNothingUntilRecallTasksAreEnabled() {
		ChatMemoryStore fresh = createStore();
		assertThat(fresh.isRecallTasksEnabled()).isFalse();
		fresh.createSession("off", "ada", "", Map.of());
		fresh.append("off", List.of(message("m-1", "hello")), false, null);
		fresh.deleteSession("off", null);
		assertThat(fresh.findRecallTasks(10)).isEmpty();
		assertThat(fresh.countRecallTasks()).isZero();
		assertThat(this.store.isRecallTasksEnabled()).isTrue();
	}

	@Test
	void anAppendQueuesATaskFromItsFirstNewSequence() {
		this.store.createSession("s-1", "ada", "", Map.of());
		assertThat(this.store.findRecallTasks(10)).isEmpty();
		List<StoredMessage> stored = this.store.append("s-1", List.of(message("m-1", "one"), message("m-2", "two")),
				false, null);
		List<RecallTask> tasks = this.store.findRecallTasks(10);
		assertThat(tasks).singleElement().satisfies((task) -> {
			assertThat(task.sessionId()).isEqualTo("s-1");
			assertThat(task.rebuild()).isFalse();
			assertThat(task.fromSequence()).isEqualTo(stored.get(0).sequence());
		});
		assertThat(this.store.countRecallTasks()).isOne();
	}

	@Test
	void laterAppendsMergeIntoTheSessionsOneTaskWithANewStamp() {
		this.store.createSession("s-1", "ada", "", Map.of());
		List<StoredMessage> first = this.store.append("s-1", List.of(message("m-1", "one")), false, null);
		RecallTask before = this.store.findRecallTasks(10).get(0);
		this.store.append("s-1", List.of(message("m-2", "two")), false, null);
		RecallTask after = this.store.findRecallTasks(10).get(0);
		assertThat(this.store.findRecallTasks(10)).hasSize(1);
		assertThat(after.fromSequence()).isEqualTo(first.get(0).sequence());
		assertThat(after.rebuild()).isFalse();
		assertThat(after.stamp()).isNotEqualTo(before.stamp());
	}

	@Test
	void aRetriedAppendThatStoresNothingQueuesNothing() {
		this.store.createSession("s-1", "ada", "", Map.of());
		List<StoredMessage> stored = this.store.append("s-1", List.of(message("m-1", "one")), false, null);
		RecallTask task = this.store.findRecallTasks(10).get(0);
		assertThat(this.store.completeRecallTask(task, stored.get(0).sequence(), true)).isTrue();
		this.store.append("s-1", List.of(message("m-1", "one")), false, null);
		assertThat(this.store.findRecallTasks(10)).isEmpty();
		assertThat(this.store.countRecallTasks()).isZero();
	}

	@Test
	void aFinishedCompletionWithTheSameStampRemovesTheTask() {
		this.store.createSession("s-1", "ada", "", Map.of());
		List<StoredMessage> stored = this.store.append("s-1", List.of(message("m-1", "one")), false, null);
		RecallTask task = this.store.findRecallTasks(10).get(0);
		assertThat(this.store.completeRecallTask(task, stored.get(0).sequence(), true)).isTrue();
		assertThat(this.store.findRecallTasks(10)).isEmpty();
		assertThat(this.store.countRecallTasks()).isZero();
		assertThat(this.store.completeRecallTask(task, stored.get(0).sequence(), true))
			.as("completing a task that is gone changes nothing")
			.isTrue();
	}

	@Test
	void aCompletionAfterALaterAppendKeepsTheTaskStartingAfterWhatWasIndexed() {
		this.store.createSession("s-1", "ada", "", Map.of());
		List<StoredMessage> first = this.store.append("s-1", List.of(message("m-1", "one"), message("m-2", "two")),
				false, null);
		RecallTask task = this.store.findRecallTasks(10).get(0);
		List<StoredMessage> later = this.store.append("s-1", List.of(message("m-3", "three")), false, null);
		assertThat(this.store.completeRecallTask(task, first.get(1).sequence(), true)).isFalse();
		assertThat(this.store.findRecallTasks(10)).singleElement().satisfies((left) -> {
			assertThat(left.rebuild()).isFalse();
			assertThat(left.fromSequence()).isEqualTo(first.get(1).sequence() + 1);
			assertThat(left.fromSequence()).isLessThanOrEqualTo(later.get(0).sequence());
		});
	}

	@Test
	void aCompletionNeverMovesATasksStartBack() {
		this.store.createSession("s-1", "ada", "", Map.of());
		this.store.append("s-1", List.of(message("m-1", "one"), message("m-2", "two")), false, null);
		RecallTask task = this.store.findRecallTasks(10).get(0);
		this.store.append("s-1", List.of(message("m-3", "three")), false, null);
		this.store.completeRecallTask(task, task.fromSequence() + 1, false);
		long start = this.store.findRecallTasks(10).get(0).fromSequence();
		this.store.completeRecallTask(task, 0, false);
		assertThat(this.store.findRecallTasks(10).get(0).fromSequence()).isEqualTo(start);
	}

	@Test
	void aPartialCompletionWithTheSameStampTurnsARebuildIntoATaskFromWhereItStopped() {
		this.store.createSession("s-1", "ada", "", Map.of());
		List<StoredMessage> stored = this.store.replaceMessages("s-1",
				List.of(message("m-1", "one"), message("m-2", "two"), message("m-3", "three")));
		RecallTask rebuild = this.store.findRecallTasks(10).get(0);
		assertThat(rebuild.rebuild()).isTrue();
		assertThat(this.store.completeRecallTask(rebuild, stored.get(1).sequence(), false)).isFalse();
		RecallTask rest = this.store.findRecallTasks(10).get(0);
		assertThat(rest.rebuild()).isFalse();
		assertThat(rest.fromSequence()).isEqualTo(stored.get(1).sequence() + 1);
		assertThat(this.store.completeRecallTask(rest, stored.get(2).sequence(), true)).isTrue();
		assertThat(this.store.findRecallTasks(10)).isEmpty();
	}

	@Test
	void aRebuildWrittenSinceATaskWasReadStaysARebuild() {
		this.store.createSession("s-1", "ada", "", Map.of());
		List<StoredMessage> stored = this.store.append("s-1", List.of(message("m-1", "one")), false, null);
		RecallTask task = this.store.findRecallTasks(10).get(0);
		this.store.clearMessages("s-1", null);
		assertThat(this.store.completeRecallTask(task, stored.get(0).sequence(), true)).isFalse();
		assertThat(this.store.findRecallTasks(10)).singleElement()
			.satisfies((left) -> assertThat(left.rebuild()).isTrue());
		RecallTask rebuild = this.store.findRecallTasks(10).get(0);
		this.store.append("s-1", List.of(message("m-2", "two")), false, null);
		assertThat(this.store.completeRecallTask(rebuild, 0, false)).isFalse();
		assertThat(this.store.findRecallTasks(10).get(0).rebuild())
			.as("a rebuild merged with a later append stays a rebuild until a completion saw both")
			.isTrue();
	}

	@Test
	void everyWriteThatRewritesASessionQueuesARebuild() {
		for (String id : List.of("replaced", "cleared", "imported", "deleted", "expired")) {
			this.store.createSession(id, "ada", "", Map.of());
			this.store.append(id, List.of(message(id + "-1", "one")), false, null);
		}
		drain();
		this.store.replaceMessages("replaced", List.of(message("r-2", "new")));
		this.store.clearMessages("cleared", null);
		ChatSession imported = this.store.findSession("imported").orElseThrow();
		this.store.importSession(imported,
				List.of(new StoredMessage("i-9", "imported", 9, MessageRole.USER, "rewritten", Map.of(), null,
						List.of(), List.of(), this.clock.instant(), List.of())),
				List.of(), true, null, null);
		this.store.deleteSession("deleted", null);
		this.clock.advance(Duration.ofDays(2));
		assertThat(this.store.deleteSessionIfInactiveSince("expired", this.clock.instant().minus(Duration.ofDays(1))))
			.isTrue();
		List<RecallTask> tasks = this.store.findRecallTasks(10);
		assertThat(tasks).extracting(RecallTask::sessionId)
			.containsExactlyInAnyOrder("replaced", "cleared", "imported", "deleted", "expired");
		assertThat(tasks).allSatisfy((task) -> assertThat(task.rebuild()).as(task.sessionId()).isTrue());
	}

	@Test
	void anImportOfANewSessionQueuesIt() {
		ChatSession session = new ChatSession("new", "ada", "", Map.of(), true, this.clock.instant(),
				this.clock.instant(), 0);
		this.store.importSession(session, List.of(new StoredMessage("n-1", "new", 1, MessageRole.USER, "imported",
				Map.of(), null, List.of(), List.of(), this.clock.instant(), List.of())), List.of(), false, null, null);
		assertThat(this.store.findRecallTasks(10)).extracting(RecallTask::sessionId).containsExactly("new");
	}

	@Test
	void aRebuildCanBeQueuedForAnySessionIdEvenOneThatIsGone() {
		this.store.queueRecallRebuild("never-existed");
		assertThat(this.store.findRecallTasks(10)).singleElement().satisfies((task) -> {
			assertThat(task.sessionId()).isEqualTo("never-existed");
			assertThat(task.rebuild()).isTrue();
		});
	}

	@Test
	void aRebuildOfAllSessionsQueuesEverySession() {
		for (int i = 0; i < 25; i++) {
			this.store.createSession("all-" + i, (i % 2 == 0) ? "ada" : "bob", "", Map.of());
		}
		assertThat(this.store.queueRecallRebuildOfAllSessions()).isEqualTo(25);
		List<RecallTask> tasks = this.store.findRecallTasks(100);
		assertThat(tasks).hasSize(25).allSatisfy((task) -> assertThat(task.rebuild()).isTrue());
		assertThat(this.store.countRecallTasks()).isEqualTo(25);
	}

	@Test
	void tasksComeOldestFirstByWhenEachSessionWasFirstQueued() {
		for (String id : List.of("a", "b", "c")) {
			this.store.createSession(id, "ada", "", Map.of());
			this.store.append(id, List.of(message(id + "-1", "one")), false, null);
			this.clock.advance(Duration.ofSeconds(1));
		}
		this.store.append("a", List.of(message("a-2", "two")), false, null);
		assertThat(this.store.findRecallTasks(2)).extracting(RecallTask::sessionId).containsExactly("a", "b");
		assertThat(this.store.findRecallTasks(10)).extracting(RecallTask::sessionId).containsExactly("a", "b", "c");
	}

	@Test
	void aRetriedCompletionNeverRemovesATaskQueuedAfterIt() {
		this.store.createSession("s-1", "ada", "", Map.of());
		List<StoredMessage> first = this.store.append("s-1", List.of(message("m-1", "one")), false, null);
		RecallTask task = this.store.findRecallTasks(10).get(0);
		assertThat(this.store.completeRecallTask(task, first.get(0).sequence(), true)).isTrue();
		this.store.append("s-1", List.of(message("m-2", "two")), false, null);
		RecallTask next = this.store.findRecallTasks(10).get(0);
		assertThat(next.stamp()).isNotEqualTo(task.stamp());
		this.store.completeRecallTask(task, first.get(0).sequence(), true);
		assertThat(this.store.findRecallTasks(10)).containsExactly(next);
	}

	/**
	 * Writers append while an indexer keeps completing what it read: once both stop and
	 * the queue is drained, every stored message was seen by the indexer.
	 */
	@Test
	void anIndexerCompletingTasksWhileWritersAppendNeverMissesAMessage() throws Exception {
		int sessions = 4;
		int writers = 4;
		int batches = 40;
		for (int s = 0; s < sessions; s++) {
			this.store.createSession("c-" + s, "ada", "", Map.of());
		}
		Set<String> indexed = ConcurrentHashMap.newKeySet();
		AtomicBoolean writing = new AtomicBoolean(true);
		ExecutorService executor = Executors.newFixedThreadPool(writers + 1);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int w = 0; w < writers; w++) {
				int writer = w;
				futures.add(executor.submit(() -> {
					for (int b = 0; b < batches; b++) {
						String session = "c-" + ((writer + b) % sessions);
						this.store.append(session, List.of(message("w" + writer + "-" + b + "-a", "a"),
								message("w" + writer + "-" + b + "-b", "b")), false, null);
						if (b % 10 == 9) {
							// a retry of a stored batch
							this.store.append(session, List.of(message("w" + writer + "-" + b + "-a", "a"),
									message("w" + writer + "-" + b + "-b", "b")), false, null);
						}
					}
					return null;
				}));
			}
			Future<?> indexer = executor.submit(() -> {
				while (writing.get()) {
					indexOnce(indexed, 3);
				}
				return null;
			});
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
			writing.set(false);
			indexer.get(60, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
		drainInto(indexed);
		Set<String> stored = ConcurrentHashMap.newKeySet();
		for (int s = 0; s < sessions; s++) {
			this.store.readMessages("c-" + s, MessageQuery.after(0, 100_000).withoutMedia())
				.forEach((message) -> stored.add(message.id()));
		}
		assertThat(stored).hasSize(writers * batches * 2);
		assertThat(indexed).containsAll(stored);
		assertThat(this.store.countRecallTasks()).isZero();
	}

	/**
	 * Index what the queue asks for, at most {@code pageSize} messages per task, as an
	 * indexer does: read from the task's start, then complete with the last sequence read.
	 */
	private void indexOnce(Set<String> indexed, int pageSize) {
		for (RecallTask task : this.store.findRecallTasks(10)) {
			long from = task.rebuild() ? 1 : task.fromSequence();
			List<StoredMessage> page = this.store.findSession(task.sessionId()).isPresent()
					? this.store.readMessages(task.sessionId(), MessageQuery.after(from - 1, pageSize).withoutMedia())
					: List.of();
			page.forEach((message) -> indexed.add(message.id()));
			long through = page.isEmpty() ? from - 1 : page.get(page.size() - 1).sequence();
			this.store.completeRecallTask(task, through, page.size() < pageSize);
		}
	}

	private void drainInto(Set<String> indexed) {
		for (int pass = 0; pass < 10_000 && this.store.countRecallTasks() > 0; pass++) {
			indexOnce(indexed, 3);
		}
	}

	/** Complete every queued task as if indexed. */
	protected void drain() {
		drainInto(ConcurrentHashMap.newKeySet());
		assertThat(this.store.countRecallTasks()).isZero();
	}

	protected static NewMessage message(String id, String content) {
		return NewMessage.of(MessageRole.USER, content).withId(id);
	}

}
