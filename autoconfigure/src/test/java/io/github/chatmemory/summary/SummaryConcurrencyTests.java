package io.github.chatmemory.summary;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.SummaryConflictException;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.CharacterTokenEstimator;
import io.github.chatmemory.window.MessageTokenCounter;
import io.github.chatmemory.window.WindowPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many concurrent appenders, a history that is cleared now and then, and summaries made
 * by two managers over one store (two instances) at once: no stored summary ever claims
 * to cover a message that the summarizer calls of its chain did not see.
 */
class SummaryConcurrencyTests {

	/** What each summarizer call saw, by the summary text it answered. */
	private final Map<String, Set<String>> seenByText = new ConcurrentHashMap<>();

	/** The summary text each call extended, by the text it answered. */
	private final Map<String, String> extendedByText = new ConcurrentHashMap<>();

	private final AtomicInteger calls = new AtomicInteger();

	protected ChatMemoryStore createStore() {
		return new InMemoryChatMemoryStore(100, 100_000, Clock.systemUTC());
	}

	@Test
	void noSummaryEverCoversAMessageItsSummarizersDidNotSee() throws Exception {
		ChatMemoryStore store = createStore();
		ChatMemoryManager first = manager(store);
		ChatMemoryManager second = manager(store);
		String sessionId = "race-" + System.nanoTime();
		first.createSession(new NewSession(sessionId, "ada", null, Map.of()));
		ExecutorService threads = Executors.newFixedThreadPool(6);
		AtomicBoolean stop = new AtomicBoolean();
		List<StoredSummary> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
		// sequences are never reused in a session, across clears too
		Map<Long, String> assigned = new ConcurrentHashMap<>();
		AtomicInteger refused = new AtomicInteger();
		CountDownLatch appended = new CountDownLatch(4);
		List<Future<?>> work = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			int writer = t;
			work.add(threads.submit(() -> {
				// until enough summaries raced with the appends, within a time bound: in-memory
				// appends are so fast that on a loaded machine any number of them may finish
				// before the summarizers' threads get to run
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				for (int i = 0; (i < 150 || stored.size() < 10) && System.nanoTime() < deadline; i++) {
					first
						.appendMessages(sessionId, List.of(NewMessage.of(MessageRole.USER, "q" + writer + "-" + i),
								NewMessage.of(MessageRole.ASSISTANT, "a" + writer + "-" + i)))
						.forEach((message) -> assigned.put(message.sequence(), message.id()));
					if (writer == 0 && (i == 49 || i == 99)) {
						first.clearMessages(sessionId);
					}
				}
				appended.countDown();
			}));
		}
		for (ChatMemoryManager manager : List.of(first, second)) {
			work.add(threads.submit(() -> {
				while (!stop.get()) {
					try {
						stored.add(manager.summarize(sessionId));
					}
					catch (SummaryConflictException ex) {
						refused.incrementAndGet();
					}
				}
			}));
		}
		assertThat(appended.await(60, TimeUnit.SECONDS)).isTrue();
		stop.set(true);
		for (Future<?> future : work) {
			future.get(30, TimeUnit.SECONDS);
		}
		threads.shutdown();
		first.close();
		second.close();

		List<StoredSummary> remaining = first.getSummaries(sessionId, 0, StoredSummary.MAX_PER_SESSION).items();
		assertThat(stored).hasSizeGreaterThan(5);
		assertThat(remaining).isNotEmpty();
		assertThat(stored).containsAll(remaining);
		for (StoredSummary summary : stored) {
			Set<String> seen = seen(summary.text());
			for (long sequence = summary.fromSequence(); sequence <= summary.toSequence(); sequence++) {
				String id = assigned.get(sequence);
				if (id != null) {
					assertThat(seen).as("summary %s (%d..%d) covers message %s at %d", summary.text(),
							summary.fromSequence(), summary.toSequence(), id, sequence)
						.contains(id);
				}
			}
		}
	}

	private Set<String> seen(String text) {
		Set<String> seen = new HashSet<>();
		for (String current = text; current != null; current = this.extendedByText.get(current)) {
			seen.addAll(this.seenByText.get(current));
		}
		return seen;
	}

	private ChatMemoryManager manager(ChatMemoryStore store) {
		Random random = new Random();
		ChatMemorySummarizer summarizer = (request) -> {
			String text = "summary-" + this.calls.incrementAndGet();
			Set<String> ids = new HashSet<>();
			request.messages().forEach((message) -> ids.add(message.id()));
			this.seenByText.put(text, ids);
			if (request.previousSummary() != null) {
				this.extendedByText.put(text, request.previousSummary());
			}
			try {
				// long enough for appends and clears to land meanwhile
				Thread.sleep(random.nextInt(3));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new ChatMemorySummarizer.Summary(text, "test");
		};
		return ChatMemoryManager.builder(store)
			.defaultWindowPolicy(WindowPolicy.ofMessages(6))
			.tokenCounter(new MessageTokenCounter(new CharacterTokenEstimator()))
			.summaries(summarizer, new SummarySettings(1_000_000, 100, 7, 1_000_000, Duration.ofSeconds(10)))
			.build();
	}

}
