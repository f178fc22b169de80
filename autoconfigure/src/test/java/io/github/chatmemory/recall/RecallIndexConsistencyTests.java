package io.github.chatmemory.recall;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recall index while everything happens at once: writers append, sessions are
 * deleted and created again, cleared, replaced and imported, a user is re-indexed, and
 * users recall, while the indexer runs on its own thread. No recall ever shows another
 * user's message, and once the writers stop and the queue is drained, the index holds
 * exactly the indexable messages the store holds: none missed, none left behind.
 */
class RecallIndexConsistencyTests {

	private static final List<String> USERS = List.of("ada", "bob");

	private static final int SESSIONS = 8;

	private static MiniLmEmbeddingModel model;

	@BeforeAll
	static void loadModel() {
		model = new MiniLmEmbeddingModel();
	}

	@AfterAll
	static void closeModel() {
		model.close();
	}

	@Test
	void theIndexEndsExactlyInLineWithTheStoreAndNoRecallCrossesUsers() throws Exception {
		InMemoryChatMemoryStore store = new InMemoryChatMemoryStore(1000, 1000, java.time.Clock.systemUTC());
		store.enableRecallTasks();
		EmbeddedRecallIndex index = new EmbeddedRecallIndex(model, 100_000);
		RecallIndexingSettings settings = new RecallIndexingSettings(Set.of(MessageRole.USER, MessageRole.ASSISTANT), 8,
				2000, 100, 64, 16, Duration.ofMillis(5), Duration.ofMillis(50));
		RecallIndexer indexer = new RecallIndexer(store, index, settings, RecallListener.NONE, RecallIndexer.Lock.NONE,
				false, java.time.Clock.systemUTC());
		ChatMemoryManager manager = ChatMemoryManager.builder(store)
			.recall(new IndexedChatMemoryRecall(store, index, settings, 200, 100, RecallListener.NONE))
			.build();
		for (int s = 0; s < SESSIONS; s++) {
			store.createSession(session(s), owner(s), "", Map.of());
		}
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger counter = new AtomicInteger();
		Set<String> leaks = ConcurrentHashMap.newKeySet();
		AtomicInteger recalls = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(6);
		indexer.start();
		try {
			List<Future<?>> writers = new ArrayList<>();
			for (int w = 0; w < 3; w++) {
				writers.add(executor.submit(() -> {
					for (int i = 0; i < 60; i++) {
						int s = ThreadLocalRandom.current().nextInt(SESSIONS);
						int n = counter.incrementAndGet();
						try {
							store.append(session(s), List.of(message("m" + n + "-u", MessageRole.USER, s, n),
									message("m" + n + "-a", MessageRole.ASSISTANT, s, n)), false, null);
						}
						catch (SessionNotFoundException ex) {
							// deleted meanwhile by the rewriter
						}
					}
					return null;
				}));
			}
			writers.add(executor.submit(() -> {
				for (int i = 0; i < 40; i++) {
					int s = ThreadLocalRandom.current().nextInt(SESSIONS);
					int n = counter.incrementAndGet();
					try {
						switch (i % 5) {
							case 0 -> {
								store.deleteSession(session(s), null);
								store.createSession(session(s), owner(s), "", Map.of());
							}
							case 1 -> store.clearMessages(session(s), null);
							case 2 -> store.replaceMessages(session(s),
									List.of(message("r" + n, MessageRole.USER, s, n)));
							case 3 -> {
								ChatSession existing = store.findSession(session(s)).orElseThrow();
								store.importSession(existing, List.of(new StoredMessage("i" + n, session(s), 1,
										MessageRole.USER, text(s, n), Map.of(), null, List.of(), List.of(),
										Instant.now(), List.of())), List.of(), true, null, null);
							}
							default -> manager.reindexRecall(owner(s));
						}
					}
					catch (SessionNotFoundException | io.github.chatmemory.SessionAlreadyExistsException ex) {
						// raced with another rewrite of the same session
					}
					Thread.sleep(5);
				}
				return null;
			}));
			Future<?> recaller = executor.submit(() -> {
				while (running.get()) {
					for (String user : USERS) {
						for (RecallHit hit : manager.recall(user, "what did I say about the weather in Lisbon", 10)
							.hits()) {
							if (!hit.sessionId().endsWith("-" + user)) {
								leaks.add(user + " saw " + hit.sessionId() + "/" + hit.messageId());
							}
						}
						recalls.incrementAndGet();
					}
				}
				return null;
			});
			for (Future<?> writer : writers) {
				writer.get(120, TimeUnit.SECONDS);
			}
			// then appends only, still while the indexer runs, so that much is left to compare
			List<Future<?>> appenders = new ArrayList<>();
			for (int w = 0; w < 3; w++) {
				appenders.add(executor.submit(() -> {
					for (int i = 0; i < 30; i++) {
						int s = ThreadLocalRandom.current().nextInt(SESSIONS);
						int n = counter.incrementAndGet();
						store.append(session(s), List.of(message("m" + n + "-u", MessageRole.USER, s, n)), false, null);
					}
					return null;
				}));
			}
			for (Future<?> appender : appenders) {
				appender.get(120, TimeUnit.SECONDS);
			}
			running.set(false);
			recaller.get(60, TimeUnit.SECONDS);
		}
		finally {
			running.set(false);
			executor.shutdownNow();
			indexer.stop();
		}
		// a stopped indexer runs no more passes: the rest is drained as after a restart
		RecallIndexer drainer = new RecallIndexer(store, index, settings, RecallListener.NONE, RecallIndexer.Lock.NONE,
				false, java.time.Clock.systemUTC());
		for (int pass = 0; pass < 1000 && store.countRecallTasks() > 0; pass++) {
			assertThat(drainer.runOnce().outcome()).isEqualTo(RecallIndexer.Outcome.SUCCEEDED);
		}
		assertThat(store.countRecallTasks()).isZero();
		assertThat(recalls.get()).as("recalls made while writing").isPositive();
		assertThat(leaks).as("recalls that showed another user's message").isEmpty();
		int indexedInAll = 0;
		for (int s = 0; s < SESSIONS; s++) {
			Set<String> expected = new HashSet<>();
			for (StoredMessage message : store.readMessages(session(s), MessageQuery.after(0, 100_000))) {
				if (settings.textToIndex(message.role(), message.content()) != null) {
					expected.add(message.id());
				}
			}
			assertThat(index.messageIds(session(s))).as(session(s)).isEqualTo(expected);
			assertThat(index.usersOf(session(s))).isSubsetOf(Set.of(owner(s)));
			indexedInAll += expected.size();
		}
		assertThat(indexedInAll).as("messages the test left to check").isGreaterThan(50);
		assertThat(index.size()).as("no vector of a message the store no longer holds").isEqualTo(indexedInAll);
	}

	private static String session(int s) {
		return "s" + s + "-" + owner(s);
	}

	private static String owner(int s) {
		return USERS.get(s % USERS.size());
	}

	private static String text(int s, int n) {
		return "Note " + n + " of " + owner(s) + ": the weather in Lisbon was sunny on day " + (n % 30);
	}

	private static NewMessage message(String id, MessageRole role, int s, int n) {
		return NewMessage.of(role, text(s, n)).withId(id);
	}

}
