package io.github.chatmemory.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.IdempotencyConflictException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.test.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retries of one message (the same id, as an {@code Idempotency-Key} gives it) sent at
 * once from two application instances, several threads each, on a session that does not
 * exist yet (the first of them creates it) and on one that does: the message is stored
 * once and every caller gets that one stored message back; the same id with another
 * content at once stores one of them and refuses the others with an idempotency
 * conflict, never another error.
 */
class JdbcConcurrentSameIdAppendIT {

	private static final int INSTANCES = 2;

	private static final int THREADS_PER_INSTANCE = 4;

	private static final int ROUNDS = 25;

	@ParameterizedTest
	@EnumSource(value = TestDatabases.class, names = { "POSTGRESQL", "MARIADB" })
	void retriesOfOneMessageFromTwoInstancesAtOnceStoreItOnce(TestDatabases database) throws Exception {
		database.dataSource();
		String prefix = TestDatabases.randomPrefix();
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		int callers = INSTANCES * THREADS_PER_INSTANCE;
		ExecutorService executor = Executors.newFixedThreadPool(callers);
		Queue<String> failures = new ConcurrentLinkedQueue<>();
		try {
			for (int i = 0; i < INSTANCES; i++) {
				instances.add(start(database, prefix));
			}
			for (int round = 0; round < ROUNDS; round++) {
				String session = "same-id-" + round;
				// even rounds: a retry of the same message; odd rounds: the same id, another content
				boolean sameContent = round % 2 == 0;
				CyclicBarrier start = new CyclicBarrier(callers);
				List<Future<Object>> answers = new ArrayList<>();
				for (int caller = 0; caller < callers; caller++) {
					ChatMemoryManager manager = instances.get(caller % INSTANCES).getBean(ChatMemoryManager.class);
					String content = sameContent ? "hello" : "hello from " + caller;
					answers.add(executor.submit(() -> {
						start.await();
						try {
							return manager.appendMessages(session,
									List.of(NewMessage.of(MessageRole.USER, content).withId("key-1")), true).get(0);
						}
						catch (IdempotencyConflictException ex) {
							return ex;
						}
					}));
				}
				List<StoredMessage> stored = new ArrayList<>();
				int conflicts = 0;
				for (Future<Object> answer : answers) {
					try {
						Object result = answer.get(30, TimeUnit.SECONDS);
						if (result instanceof StoredMessage message) {
							stored.add(message);
						}
						else {
							conflicts++;
						}
					}
					catch (Exception ex) {
						failures.add("round " + round + ": " + ex);
					}
				}
				List<StoredMessage> history = instances.get(0).getBean(ChatMemoryManager.class).getAllMessages(session);
				assertThat(history).as("round %d", round).hasSize(1);
				assertThat(stored).as("round %d", round).allSatisfy((message) -> {
					assertThat(message.sequence()).isEqualTo(history.get(0).sequence());
					assertThat(message.content()).isEqualTo(history.get(0).content());
				});
				assertThat(stored.size() + conflicts + failures.size()).isGreaterThanOrEqualTo(callers);
				if (!sameContent) {
					assertThat(conflicts).as("round %d", round).isEqualTo(callers - stored.size());
				}
			}
		}
		finally {
			executor.shutdownNow();
			instances.forEach(ConfigurableApplicationContext::close);
			TestDatabases.dropTables(database.dataSource(), prefix);
		}
		assertThat(failures).isEmpty();
	}

	private static ConfigurableApplicationContext start(TestDatabases database, String prefix) {
		return new SpringApplicationBuilder(Instance.class).web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + database.url(), "spring.datasource.username=" + database.user(),
					"spring.datasource.password=", "spring.datasource.hikari.maximum-pool-size=4",
					"chat-memory.store=jdbc", "chat-memory.jdbc.table-prefix=" + prefix,
					"chat-memory.jdbc.initialize-schema=always")
			.run();
	}

	/**
	 * One application instance: Boot's DataSource and the chat memory auto-configuration.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
			ChatMemoryAutoConfiguration.class })
	static class Instance {

	}

}
