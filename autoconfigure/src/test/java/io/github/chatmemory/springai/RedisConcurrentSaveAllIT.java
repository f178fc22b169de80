package io.github.chatmemory.springai;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.SessionChangedException;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Full reads of a conversation longer than one page while other callers replace it, on
 * Redis: a read that a replacement crosses must not mix the history before it with the
 * history after it. Spring AI's {@code MessageWindowChatMemory} writes back what it read
 * on every add, so such a mix doubled the conversation add after add (the benchmark's
 * concurrent append at history 1,000 grew to 22,000 messages and ran for minutes).
 */
class RedisConcurrentSaveAllIT {

	/** Longer than one page of a full read (1,000 messages), so a full read takes several replies. */
	private static final int LENGTH = 1500;

	private static final long RUN_MILLIS = 3000;

	@Test
	void fullReadsDuringReplacementsReturnOneWholeConversationOrSayItChanged() throws Exception {
		ChatMemoryManager manager = ChatMemoryManager
			.builder(new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
					RedisStoreSettings.withPrefix("test:" + UUID.randomUUID() + ":"), Clock.systemUTC()))
			.build();
		ChatMemoryRepository repository = new StoreBackedChatMemoryRepository(manager);
		String conversation = "replaced-" + UUID.randomUUID();
		List<Message> first = conversation("first");
		List<Message> second = conversation("second");
		repository.saveAll(conversation, first);
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService executor = Executors.newFixedThreadPool(3);
		try {
			Future<Integer> writer = executor.submit(() -> {
				int replacements = 0;
				while (running.get()) {
					repository.saveAll(conversation, (replacements % 2 == 0) ? second : first);
					replacements++;
				}
				return replacements;
			});
			List<Future<List<String>>> readers = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				readers.add(executor.submit(() -> {
					List<String> outcomes = new ArrayList<>();
					long end = System.currentTimeMillis() + RUN_MILLIS;
					while (System.currentTimeMillis() < end) {
						try {
							List<Message> read = repository.findByConversationId(conversation);
							outcomes.add(read.equals(first) ? "first" : read.equals(second) ? "second"
									: "mixed (" + read.size() + " messages)");
						}
						catch (SessionChangedException ex) {
							outcomes.add("changed");
						}
					}
					return outcomes;
				}));
			}
			List<String> outcomes = new ArrayList<>();
			for (Future<List<String>> reader : readers) {
				outcomes.addAll(reader.get(1, TimeUnit.MINUTES));
			}
			running.set(false);
			assertThat(writer.get(1, TimeUnit.MINUTES)).as("replacements").isPositive();
			assertThat(outcomes).as("full reads").isNotEmpty().allMatch((outcome) -> !outcome.startsWith("mixed"),
					"is one whole conversation or says it changed");
			assertThat(outcomes).as("full reads that returned a conversation").containsAnyOf("first", "second");
		}
		finally {
			running.set(false);
			executor.shutdownNow();
			repository.deleteByConversationId(conversation);
		}
	}

	private static List<Message> conversation(String name) {
		List<Message> messages = new ArrayList<>(LENGTH);
		for (int i = 0; i < LENGTH; i++) {
			messages.add(new UserMessage(name + " " + i));
		}
		return messages;
	}

}
