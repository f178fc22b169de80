package io.github.chatmemory.transfer;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import io.github.chatmemory.store.ChatMemoryStore.SummaryWrite;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Export from one store and import into the other gives an identical session with its
 * summaries, both ways: the migration path between stores.
 */
class StoreMigrationIT {

	@Test
	void sessionsMoveBetweenStoresUnchanged() {
		InMemoryChatMemoryStore source = new InMemoryChatMemoryStore(100, 1000, Clock.systemUTC());
		ChatMemoryManager inMemory = ChatMemoryManager.builder(source).build();
		ChatMemoryManager redis = ChatMemoryManager.builder(new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
				RedisStoreSettings.withPrefix("test:" + UUID.randomUUID() + ":"), Clock.systemUTC()))
			.build();
		inMemory.createSession(new NewSession("trip", "ada", "Trip to ปาย 🏞️", Map.of("tags", List.of("travel"))));
		inMemory.appendMessages("trip",
				List.of(NewMessage.of(MessageRole.SYSTEM, "Be brief."), NewMessage.of(MessageRole.USER, "Weather?"),
						new NewMessage("call", MessageRole.ASSISTANT, "", Map.of("model", "demo"), null,
								List.of(new ToolCall("c1", "function", "weather", "{\"city\":\"Pai\"}")), List.of()),
						new NewMessage("resp", MessageRole.TOOL, "", Map.of(), null, List.of(),
								List.of(new ToolResponse("c1", "weather", "{\"temp\":24}"))),
						NewMessage.of(MessageRole.ASSISTANT, "24°C and sunny ☀️")));
		List<StoredMessage> messages = inMemory.getAllMessages("trip");
		StoredSummary first = new StoredSummary("sum-1", "trip", "Asked about the weather in Pai 🏞️.", 1,
				messages.get(3).sequence(), messages.get(3).id(), null, Instant.parse("2026-11-20T10:00:00.123Z"),
				"demo", 9, 40);
		StoredSummary second = new StoredSummary("sum-2", "trip", "Pai: 24°C and sunny.", 1,
				messages.get(4).sequence(), messages.get(4).id(), "sum-1", Instant.parse("2026-11-20T10:01:00Z"), null,
				6, 52);
		Instant tripCreated = source.findSession("trip").orElseThrow().createdAt();
		assertThat(source.saveSummary(first, tripCreated)).isEqualTo(SummaryWrite.STORED);
		assertThat(source.saveSummary(second, tripCreated)).isEqualTo(SummaryWrite.STORED);
		inMemory.deactivateSession("trip");

		SessionTransfer fromMemory = new SessionTransfer(inMemory, 1 << 20, Clock.systemUTC());
		SessionTransfer toRedis = new SessionTransfer(redis, 1 << 20, Clock.systemUTC());
		toRedis.importDocument(fromMemory.export("trip"), ImportOptions.keepId());
		assertThat(redis.exportSession("trip")).isEqualTo(inMemory.exportSession("trip"));
		assertThat(redis.getSummaries("trip", 0, 10).items()).containsExactly(second, first);
		// the version counts one store's writes: a migrated session starts again at 1
		assertThat(redis.listSessions("ada", 0, 10).items()).singleElement()
			.usingRecursiveComparison()
			.ignoringFields("version")
			.isEqualTo(inMemory.getSession("trip"));
		assertThat(redis.getSession("trip").version()).isEqualTo(1);

		ChatMemoryManager back = ChatMemoryManager.builder(new InMemoryChatMemoryStore(100, 1000, Clock.systemUTC()))
			.build();
		new SessionTransfer(back, 1 << 20, Clock.systemUTC()).importJson(toRedis.exportJson("trip"),
				ImportOptions.keepId());
		assertThat(back.exportSession("trip")).isEqualTo(inMemory.exportSession("trip"));
		assertThat(back.exportSession("trip").summaries()).containsExactly(first, second);
		// appends go on after the imported sequences
		redis.activateSession("trip");
		assertThat(redis.appendMessage("trip", NewMessage.of(MessageRole.USER, "thanks")).sequence()).isEqualTo(6);
	}

}
