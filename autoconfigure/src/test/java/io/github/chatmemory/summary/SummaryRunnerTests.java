package io.github.chatmemory.summary;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.store.ChatMemoryStore.SummaryWrite;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.CharacterTokenEstimator;
import io.github.chatmemory.window.ContextWindow;
import io.github.chatmemory.window.ContextWindowBuilder;
import io.github.chatmemory.window.MessageTokenCounter;
import io.github.chatmemory.window.WindowPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@link SummaryRunner} queues, bounds and gives up runs, with one pool thread that a
 * summarizer call of the session "busy" holds until the test lets it go, ignoring
 * interrupts as a blocking socket read does.
 */
class SummaryRunnerTests {

	private static final Duration TIMEOUT = Duration.ofMillis(300);

	private static final WindowPolicy POLICY = WindowPolicy.ofMessages(1);

	private final InMemoryChatMemoryStore store = new InMemoryChatMemoryStore(10, 200_000, Clock.systemUTC());

	private final CountDownLatch busyEntered = new CountDownLatch(1);

	private final CountDownLatch busyRelease = new CountDownLatch(1);

	private final CountDownLatch busyLeft = new CountDownLatch(1);

	private final SummaryRunner runner;

	SummaryRunnerTests() {
		MessageTokenCounter tokens = new MessageTokenCounter(new CharacterTokenEstimator());
		ContextWindowBuilder windows = new ContextWindowBuilder(this.store, tokens, true);
		this.runner = new SummaryRunner(new SessionSummarizer(this.store, windows, tokens, this::summarize,
				new SummarySettings(1, 100, 100, 100_000, TIMEOUT), Clock.systemUTC()), 1, 10, SummaryListener.NONE);
	}

	private ChatMemorySummarizer.Summary summarize(ChatMemorySummarizer.Request request) {
		if (request.sessionId().equals("busy")) {
			this.busyEntered.countDown();
			boolean released = false;
			while (!released) {
				try {
					released = this.busyRelease.await(10, TimeUnit.SECONDS);
					this.busyLeft.countDown();
					released = true;
				}
				catch (InterruptedException ex) {
					// ignored, as a blocking model call does
				}
			}
		}
		return new ChatMemorySummarizer.Summary("sum of " + request.sessionId(), "m");
	}

	@AfterEach
	void close() {
		this.busyRelease.countDown();
		this.runner.close();
	}

	private List<StoredMessage> session(String id, int messages) {
		this.store.createSession(id, "ada", "", Map.of());
		List<NewMessage> batch = new ArrayList<>();
		for (int i = 0; i < messages; i++) {
			batch.add(NewMessage.of((i % 2 == 0) ? MessageRole.USER : MessageRole.ASSISTANT, "message " + i)
				.withId(id + "-" + i));
		}
		return this.store.append(id, batch, false, null);
	}

	private void holdThePoolThread() throws InterruptedException {
		session("busy", 5);
		assertThat(this.runner.submit("busy", POLICY)).isTrue();
		assertThat(this.busyEntered.await(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aSummaryGivenUpWhileQueuedDoesNotBlockItsSession() throws Exception {
		holdThePoolThread();
		session("s", 5);
		long start = System.nanoTime();
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> this.runner.summarizeNow("s", POLICY));
		// the request thread waited one timeout, not two
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(2));
		this.busyRelease.countDown();
		assertThat(this.busyLeft.await(5, TimeUnit.SECONDS)).isTrue();
		// the pool is free again, and so is the session
		assertThat(this.runner.summarizeNow("s", POLICY).text()).isEqualTo("sum of s");
	}

	@Test
	void aLatestSummaryThatDidNotFitIntoTheWindowStillCountsForTheTrigger() throws Exception {
		holdThePoolThread();
		List<StoredMessage> messages = session("s", 7);
		StoredMessage last = messages.get(5);
		assertThat(this.store.saveSummary(new StoredSummary("sum", "s", "all but the newest", 1, last.sequence(),
				last.id(), null, Instant.now(), null, 20, 100), this.store.findSession("s").orElseThrow().createdAt()))
			.isEqualTo(SummaryWrite.STORED);
		ContextWindow window = new ContextWindowBuilder(this.store,
				new MessageTokenCounter(new CharacterTokenEstimator()), true)
			.build("s", POLICY)
			.orElseThrow();
		assertThat(window.summary()).isNull();
		assertThat(window.leftOutCount()).isEqualTo(6);
		this.runner.windowBuilt(window);
		// nothing was queued: the latest summary covers all that the window leaves out
		assertThat(this.runner.submit("s", POLICY)).isTrue();
	}

}
