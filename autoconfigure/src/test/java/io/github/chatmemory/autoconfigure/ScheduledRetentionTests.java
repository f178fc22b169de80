package io.github.chatmemory.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ScheduledRetention}.
 */
class ScheduledRetentionTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final ChatMemoryManager manager = ChatMemoryManager
		.builder(new InMemoryChatMemoryStore(10, 10, this.clock))
		.clock(this.clock)
		.build();

	@Test
	void runDeletesInactiveSessionsAndRecordsTheRun() {
		this.manager.createSession(new NewSession("old", "ada", null, Map.of()));
		this.clock.advance(Duration.ofDays(2));
		this.manager.createSession(new NewSession("recent", "ada", null, Map.of()));
		ScheduledRetention retention = new ScheduledRetention(this.manager, Duration.ofDays(1), Duration.ofHours(1));
		assertThat(retention.runOnce()).isEqualTo(1);
		assertThat(this.manager.findSession("old")).isEmpty();
		assertThat(this.manager.getStatistics().lastRetention().deletedSessions()).isEqualTo(1);
	}

	@Test
	void startsAndStopsItsThread() {
		ScheduledRetention retention = new ScheduledRetention(this.manager, Duration.ofDays(1), Duration.ofHours(1));
		retention.start();
		assertThat(retention.isRunning()).isTrue();
		retention.stop();
		assertThat(retention.isRunning()).isFalse();
	}

	@Test
	void rejectsNonPositiveDurations() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new ScheduledRetention(this.manager, Duration.ZERO, Duration.ofHours(1)))
			.withMessageContaining("chat-memory.retention.max-age");
		assertThatIllegalStateException()
			.isThrownBy(() -> new ScheduledRetention(this.manager, Duration.ofDays(1), Duration.ofSeconds(-1)))
			.withMessageContaining("chat-memory.retention.interval");
	}

}
