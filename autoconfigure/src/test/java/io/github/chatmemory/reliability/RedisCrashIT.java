package io.github.chatmemory.reliability;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.actuate.ChatMemoryHealthIndicator;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import io.github.chatmemory.test.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis with {@code appendonly yes} and {@code appendfsync always} is killed in the
 * middle of a write load and started again: every append that returned success is there
 * afterwards; appends during the outage fail fast with
 * {@link ChatMemoryUnavailableException}, never hanging past the command timeout; health
 * goes DOWN and back UP; the writers recover without a restart.
 */
class RedisCrashIT {

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

	private static final int WRITERS = 4;

	@Test
	void acknowledgedAppendsSurviveACrashAndOutagesFailFast() throws Exception {
		RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redis.port()),
				LettuceClientConfiguration.builder().commandTimeout(COMMAND_TIMEOUT).build());
		factory.afterPropertiesSet();
		factory.start();
		RedisChatMemoryStore store = new RedisChatMemoryStore(factory, RedisStoreSettings.withPrefix("crash:"),
				Clock.systemUTC());
		ChatMemoryManager manager = ChatMemoryManager.builder(store).build();
		ChatMemoryHealthIndicator health = new ChatMemoryHealthIndicator(store, Duration.ofSeconds(1));
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		List<Throwable> unexpected = new ArrayList<>();
		AtomicLong unavailable = new AtomicLong();
		AtomicLong slowestFailureMillis = new AtomicLong();
		AtomicLong afterRestart = new AtomicLong();
		AtomicBoolean restarted = new AtomicBoolean();
		AtomicBoolean stop = new AtomicBoolean();
		ExecutorService executor = Executors.newFixedThreadPool(WRITERS);
		try {
			List<Future<?>> writers = new ArrayList<>();
			for (int w = 0; w < WRITERS; w++) {
				String session = "crash-" + w;
				writers.add(executor.submit(() -> {
					for (int i = 0; !stop.get(); i++) {
						String id = session + "-" + i;
						long start = System.nanoTime();
						try {
							manager.appendMessages(session, List.of(NewMessage.of(MessageRole.USER, "m " + i).withId(id)),
									true);
							acknowledged.add(id);
							if (restarted.get()) {
								afterRestart.incrementAndGet();
							}
						}
						catch (ChatMemoryUnavailableException ex) {
							unavailable.incrementAndGet();
							slowestFailureMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
						}
						catch (Throwable ex) {
							synchronized (unexpected) {
								unexpected.add(ex);
							}
						}
					}
				}));
			}
			Thread.sleep(1000);
			long beforeCrash = acknowledged.size();
			redis.kill();
			Thread.sleep(1500);
			assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
			redis.restart();
			restarted.set(true);
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (afterRestart.get() < 100 && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			stop.set(true);
			for (Future<?> writer : writers) {
				writer.get(30, TimeUnit.SECONDS);
			}

			assertThat(unexpected).isEmpty();
			assertThat(beforeCrash).isPositive();
			assertThat(unavailable.get()).as("appends failed during the outage").isPositive();
			assertThat(slowestFailureMillis.get()).as("slowest failed append (ms)")
				.isLessThan(COMMAND_TIMEOUT.toMillis() + 1000);
			assertThat(afterRestart.get()).as("appends acknowledged after the restart").isGreaterThanOrEqualTo(100);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			Set<String> stored = new HashSet<>();
			for (int w = 0; w < WRITERS; w++) {
				manager.getAllMessages("crash-" + w).stream().map(StoredMessage::id).forEach(stored::add);
			}
			assertThat(stored).as("every acknowledged append survived the crash").containsAll(acknowledged);
			System.out.printf("Redis crash: %d appends acknowledged (%d before the kill), all %d present after restart; "
					+ "%d failed fast during the outage, slowest failure %d ms%n", acknowledged.size(), beforeCrash,
					acknowledged.size(), unavailable.get(), slowestFailureMillis.get());
		}
		finally {
			stop.set(true);
			executor.shutdownNow();
			health.destroy();
			factory.destroy();
			redis.stop();
		}
	}

}
