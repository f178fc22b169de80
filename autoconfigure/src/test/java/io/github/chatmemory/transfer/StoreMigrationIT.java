package io.github.chatmemory.transfer;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Export from one store and import into the other gives an identical session, both ways:
 * the migration path between stores.
 */
class StoreMigrationIT {

	@Test
	void sessionsMoveBetweenStoresUnchanged() {
		ChatMemoryManager inMemory = ChatMemoryManager.builder(new InMemoryChatMemoryStore(100, 1000, Clock.systemUTC()))
			.build();
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
		inMemory.deactivateSession("trip");

		SessionTransfer fromMemory = new SessionTransfer(inMemory, 1 << 20, Clock.systemUTC());
		SessionTransfer toRedis = new SessionTransfer(redis, 1 << 20, Clock.systemUTC());
		toRedis.importDocument(fromMemory.export("trip"), ImportOptions.keepId());
		assertThat(redis.exportSession("trip")).isEqualTo(inMemory.exportSession("trip"));
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
		// appends go on after the imported sequences
		redis.activateSession("trip");
		assertThat(redis.appendMessage("trip", NewMessage.of(MessageRole.USER, "thanks")).sequence()).isEqualTo(6);
	}

}
