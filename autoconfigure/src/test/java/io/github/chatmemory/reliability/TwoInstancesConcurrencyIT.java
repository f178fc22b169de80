package io.github.chatmemory.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application contexts (two instances of an application) on one Redis, eight writer
 * threads each, 500 appends per thread to the same two sessions through the
 * auto-configured {@link ChatMemory}: every message stored exactly once, each writer's
 * order kept, sequences gapless.
 */
class TwoInstancesConcurrencyIT {

	private static final int INSTANCES = 2;

	private static final int THREADS = 8;

	private static final int PER_THREAD = 500;

	private static final List<String> SESSIONS = List.of("shared-a", "shared-b");

	@Test
	void everyMessageStoredOnceInEachWritersOrderWithGaplessSequences() throws Exception {
		String prefix = "test:" + UUID.randomUUID() + ":";
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			instances.add(start(prefix));
		}
		ExecutorService executor = Executors.newFixedThreadPool(INSTANCES * THREADS);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<?>> writers = new ArrayList<>();
			for (int instance = 0; instance < INSTANCES; instance++) {
				ChatMemory chatMemory = instances.get(instance).getBean(ChatMemory.class);
				for (int thread = 0; thread < THREADS; thread++) {
					String writer = instance + "." + thread;
					writers.add(executor.submit(() -> {
						go.await();
						for (int i = 0; i < PER_THREAD; i++) {
							chatMemory.add(SESSIONS.get(i % 2), new UserMessage(writer + ":" + i));
						}
						return null;
					}));
				}
			}
			go.countDown();
			for (Future<?> writer : writers) {
				writer.get(5, TimeUnit.MINUTES);
			}

			ChatMemoryManager manager = instances.get(1).getBean(ChatMemoryManager.class);
			for (String session : SESSIONS) {
				List<StoredMessage> messages = manager.getAllMessages(session);
				int expected = INSTANCES * THREADS * PER_THREAD / 2;
				assertThat(messages).as(session).hasSize(expected);
				assertThat(manager.getSession(session).messageCount()).isEqualTo(expected);
				for (int i = 0; i < messages.size(); i++) {
					assertThat(messages.get(i).sequence()).as("gapless sequence").isEqualTo(i + 1);
				}
				Map<String, Integer> lastSeen = new HashMap<>();
				for (StoredMessage message : messages) {
					String[] parts = message.content().split(":");
					int index = Integer.parseInt(parts[1]);
					Integer previous = lastSeen.put(parts[0], index);
					assertThat(index).as("order of writer %s", parts[0]).isGreaterThan((previous != null) ? previous : -1);
				}
				assertThat(lastSeen).hasSize(INSTANCES * THREADS);
			}
		}
		finally {
			executor.shutdownNow();
			instances.forEach(ConfigurableApplicationContext::close);
		}
	}

	private static ConfigurableApplicationContext start(String prefix) {
		TestRedis.Endpoint redis = TestRedis.endpoint();
		return new SpringApplicationBuilder(Instance.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
					"chat-memory.redis.key-prefix=" + prefix)
			.run();
	}

	/**
	 * One application instance: Boot's Redis and the chat memory auto-configuration.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, ChatMemoryAutoConfiguration.class })
	static class Instance {

	}

}
