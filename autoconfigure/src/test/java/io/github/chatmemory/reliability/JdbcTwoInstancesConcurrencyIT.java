package io.github.chatmemory.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.RecordingChatMemoryStore;
import io.github.chatmemory.test.TestDatabases;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances (two contexts, each with its own HikariCP pool) on one
 * database and table prefix, sixteen writer threads in each, all appending to one
 * session through the {@link ChatMemoryManager}, creating it if missing as Spring AI's
 * {@code ChatMemory} does (so the first writers race to create it), every message with
 * its id, and every
 * fourth batch sent a second time as a client retry would: every message is stored
 * exactly once, each writer's messages in its order, sequences gapless, the repeated
 * batches answer the first answer, no writer sees an exception (no deadlock, no
 * unavailable store), and the store sees not one append more than the writers made (no
 * retry, let alone a storm). Run on PostgreSQL and MariaDB.
 */
class JdbcTwoInstancesConcurrencyIT {

	private static final int INSTANCES = 2;

	private static final int WRITERS_PER_INSTANCE = 16;

	private static final int BATCHES_PER_WRITER = 40;

	/** A user message and the assistant's answer, as a chat turn appends them. */
	private static final int MESSAGES_PER_BATCH = 2;

	/** Every fourth batch is sent again with the same ids. */
	private static final int REPEAT_EVERY = 4;

	private static final String SESSION = "two-instances";

	@ParameterizedTest
	@EnumSource(value = TestDatabases.class, names = { "POSTGRESQL", "MARIADB" })
	void everyMessageStoredOnceInEachWritersOrderWithoutDeadlockOrRetry(TestDatabases database) throws Exception {
		// fails, saying how to provide it, when the server cannot be reached
		DataSource shared = database.dataSource();
		String prefix = TestDatabases.randomPrefix();
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(INSTANCES * WRITERS_PER_INSTANCE);
		try {
			for (int i = 0; i < INSTANCES; i++) {
				// one after the other: the second finds the schema the first made
				instances.add(start(database, prefix));
			}
			Map<String, List<StoredMessage>> answers = new ConcurrentHashMap<>();
			Queue<String> failures = new ConcurrentLinkedQueue<>();
			AtomicLong appendCalls = new AtomicLong();
			CountDownLatch go = new CountDownLatch(1);
			List<Future<?>> writers = new ArrayList<>();
			for (int instance = 0; instance < INSTANCES; instance++) {
				ChatMemoryManager manager = instances.get(instance).getBean(ChatMemoryManager.class);
				for (int thread = 0; thread < WRITERS_PER_INSTANCE; thread++) {
					String writer = "w" + instance + "." + thread;
					writers.add(executor.submit(() -> {
						go.await();
						for (int batch = 0; batch < BATCHES_PER_WRITER; batch++) {
							List<NewMessage> messages = batch(writer, batch);
							try {
								appendCalls.incrementAndGet();
								// as Spring AI's ChatMemory does: the first writers race to create the session
								List<StoredMessage> stored = manager.appendMessages(SESSION, messages, true);
								answers.put(writer + ":" + batch, stored);
								if (batch % REPEAT_EVERY == REPEAT_EVERY - 1) {
									appendCalls.incrementAndGet();
									answers.put(writer + ":" + batch + ":again", manager.appendMessages(SESSION, messages, true));
								}
							}
							catch (RuntimeException ex) {
								failures.add(writer + " batch " + batch + ": " + ex);
							}
						}
						return null;
					}));
				}
			}
			long start = System.nanoTime();
			go.countDown();
			for (Future<?> writer : writers) {
				writer.get(5, TimeUnit.MINUTES);
			}
			Duration took = Duration.ofNanos(System.nanoTime() - start);

			ChatMemoryManager reader = instances.get(1).getBean(ChatMemoryManager.class);
			List<StoredMessage> messages = reader.getAllMessages(SESSION);
			long storeAppends = instances.stream()
				.mapToLong((instance) -> ((RecordingChatMemoryStore) instance.getBean(ChatMemoryStore.class)).appends())
				.sum();
			int expected = INSTANCES * WRITERS_PER_INSTANCE * BATCHES_PER_WRITER * MESSAGES_PER_BATCH;
			System.out.printf(
					"%s, two instances x %d writers on one session: %d append calls (%d messages, every %dth batch "
							+ "repeated) in %d ms (%.0f calls/s); the store saw %d appends; %d failures%n",
					database, WRITERS_PER_INSTANCE, appendCalls.get(), expected, REPEAT_EVERY, took.toMillis(),
					appendCalls.get() * 1000.0 / Math.max(1, took.toMillis()), storeAppends, failures.size());

			SoftAssertions softly = new SoftAssertions();
			softly.assertThat(failures).as("exceptions in the writers (deadlocks, unavailable store)").isEmpty();
			softly.assertThat(storeAppends).as("appends the store saw: one per call, no retry").isEqualTo(appendCalls.get());
			softly.assertThat(messages).as("messages stored").hasSize(expected);
			softly.assertThat(reader.getSession(SESSION).messageCount()).as("the session's count").isEqualTo(expected);
			Map<String, Integer> timesStored = new HashMap<>();
			for (int i = 0; i < messages.size(); i++) {
				softly.assertThat(messages.get(i).sequence()).as("gapless sequence").isEqualTo(i + 1);
				timesStored.merge(messages.get(i).id(), 1, Integer::sum);
			}
			softly.assertThat(timesStored).as("ids stored more than once")
				.allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
			Map<String, Long> lastSequence = new HashMap<>();
			for (StoredMessage message : messages) {
				String writer = message.id().substring(0, message.id().indexOf('-'));
				Long previous = lastSequence.put(writer, message.sequence());
				softly.assertThat(message.sequence()).as("order of %s at %s", writer, message.id())
					.isGreaterThan((previous != null) ? previous : 0);
				String[] parts = message.id().split("-");
				softly.assertThat(message.content()).as("content of " + message.id())
					.isEqualTo(content(writer, Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
			}
			softly.assertThat(lastSequence).as("writers with stored messages").hasSize(INSTANCES * WRITERS_PER_INSTANCE);
			answers.forEach((key, stored) -> {
				if (key.endsWith(":again")) {
					List<StoredMessage> first = answers.get(key.substring(0, key.length() - ":again".length()));
					softly.assertThat(stored).extracting(StoredMessage::sequence)
						.as("a repeated batch answers the sequences of the first answer (%s)", key)
						.isEqualTo(first.stream().map(StoredMessage::sequence).toList());
				}
			});
			softly.assertAll();
		}
		finally {
			executor.shutdownNow();
			instances.forEach(ConfigurableApplicationContext::close);
			TestDatabases.dropTables(shared, prefix);
		}
	}

	private static List<NewMessage> batch(String writer, int batch) {
		List<NewMessage> messages = new ArrayList<>();
		for (int i = 0; i < MESSAGES_PER_BATCH; i++) {
			MessageRole role = (i % 2 == 0) ? MessageRole.USER : MessageRole.ASSISTANT;
			messages.add(NewMessage.of(role, content(writer, batch, i)).withId(writer + "-" + batch + "-" + i));
		}
		return messages;
	}

	private static String content(String writer, int batch, int index) {
		return writer + " batch " + batch + " message " + index;
	}

	private static ConfigurableApplicationContext start(TestDatabases database, String prefix) {
		return new SpringApplicationBuilder(Instance.class).web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + database.url(), "spring.datasource.username=" + database.user(),
					"spring.datasource.password=", "spring.datasource.hikari.maximum-pool-size=8",
					"chat-memory.store=jdbc", "chat-memory.jdbc.table-prefix=" + prefix,
					"chat-memory.jdbc.initialize-schema=always")
			.run();
	}

	/**
	 * One application instance: Boot's DataSource (HikariCP), the JDBC store on it and
	 * the chat memory auto-configuration, with the store bean counted.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
			ChatMemoryAutoConfiguration.class })
	static class Instance {

		@Bean
		static BeanPostProcessor countingStore() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof ChatMemoryStore store && !(bean instanceof RecordingChatMemoryStore))
							? new RecordingChatMemoryStore(store) : bean;
				}

			};
		}

	}

}
