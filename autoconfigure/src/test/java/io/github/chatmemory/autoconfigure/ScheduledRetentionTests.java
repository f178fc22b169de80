package io.github.chatmemory.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ScheduledRetention} and the scheduler it runs on.
 */
class ScheduledRetentionTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final ChatMemoryManager manager = ChatMemoryManager
		.builder(new InMemoryChatMemoryStore(10, 10, this.clock))
		.clock(this.clock)
		.build();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
		.withPropertyValues("chat-memory.store=in-memory", "chat-memory.retention.max-age=30d");

	ScheduledRetentionTests() {
		this.scheduler.initialize();
	}

	@AfterEach
	void shutDown() {
		this.scheduler.destroy();
	}

	@Test
	void runDeletesInactiveSessionsAndRecordsTheRun() {
		this.manager.createSession(new NewSession("old", "ada", null, Map.of()));
		this.clock.advance(Duration.ofDays(2));
		this.manager.createSession(new NewSession("recent", "ada", null, Map.of()));
		ScheduledRetention retention = new ScheduledRetention(this.manager, Duration.ofDays(1), Duration.ofHours(1),
				this.scheduler, ScheduledRetention.Lock.NONE);
		assertThat(retention.runOnce()).isEqualTo(1);
		assertThat(this.manager.findSession("old")).isEmpty();
		assertThat(this.manager.getStatistics().lastRetention().deletedSessions()).isEqualTo(1);
	}

	@Test
	void runIsSkippedWhileAnotherInstanceHoldsTheLock() {
		this.manager.createSession(new NewSession("old", "ada", null, Map.of()));
		this.clock.advance(Duration.ofDays(2));
		ScheduledRetention retention = new ScheduledRetention(this.manager, Duration.ofDays(1), Duration.ofHours(1),
				this.scheduler, (task) -> false);
		assertThat(retention.runOnce()).isEqualTo(ScheduledRetention.SKIPPED);
		assertThat(this.manager.findSession("old")).isPresent();
	}

	@Test
	void startsAndStopsItsSchedule() {
		ScheduledRetention retention = new ScheduledRetention(this.manager, Duration.ofDays(1), Duration.ofHours(1),
				this.scheduler, ScheduledRetention.Lock.NONE);
		retention.start();
		assertThat(retention.isRunning()).isTrue();
		assertThat(this.scheduler.getScheduledThreadPoolExecutor().getQueue()).hasSize(1);
		retention.stop();
		assertThat(retention.isRunning()).isFalse();
		this.scheduler.getScheduledThreadPoolExecutor().purge();
		assertThat(this.scheduler.getScheduledThreadPoolExecutor().getQueue()).isEmpty();
	}

	@Test
	void rejectsNonPositiveDurations() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new ScheduledRetention(this.manager, Duration.ZERO, Duration.ofHours(1), this.scheduler,
					ScheduledRetention.Lock.NONE))
			.withMessageContaining("chat-memory.retention.max-age");
		assertThatIllegalStateException()
			.isThrownBy(() -> new ScheduledRetention(this.manager, Duration.ofDays(1), Duration.ofSeconds(-1),
					this.scheduler, ScheduledRetention.Lock.NONE))
			.withMessageContaining("chat-memory.retention.interval");
	}

	@Test
	void runsOnBootsTaskSchedulerWithEnableScheduling() {
		this.contextRunner.withUserConfiguration(SchedulingConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(TaskScheduler.class).hasBean("taskScheduler");
			assertThat(context.getBean(ScheduledRetention.class).getScheduler())
				.isSameAs(context.getBean("taskScheduler"));
		});
	}

	@Test
	void runsOnTheApplicationsTaskScheduler() {
		this.contextRunner.withBean("appScheduler", TaskScheduler.class, SimpleAsyncTaskScheduler::new)
			.run((context) -> assertThat(context.getBean(ScheduledRetention.class).getScheduler())
				.isSameAs(context.getBean("appScheduler")));
	}

	@Test
	void withoutATaskSchedulerRunsOnOneOfItsOwnThatIsNoBean() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(TaskScheduler.class);
			TaskScheduler scheduler = context.getBean(ScheduledRetention.class).getScheduler();
			assertThat(scheduler).isInstanceOfSatisfying(ThreadPoolTaskScheduler.class,
					(own) -> assertThat(own.getThreadNamePrefix()).isEqualTo("chat-memory-retention-"));
		});
	}

	@Test
	void backsOffToTheApplicationsRetention() {
		ScheduledRetention own = new ScheduledRetention(this.manager, Duration.ofDays(1), Duration.ofHours(1),
				this.scheduler, ScheduledRetention.Lock.NONE);
		this.contextRunner.withBean("myRetention", ScheduledRetention.class, () -> own)
			.run((context) -> assertThat(context.getBean(ScheduledRetention.class)).isSameAs(own));
	}

	@Test
	void noRetentionWithoutMaxAge() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ScheduledRetention.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingConfiguration {

	}

}
