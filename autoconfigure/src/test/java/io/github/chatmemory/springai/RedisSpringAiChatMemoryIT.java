package io.github.chatmemory.springai;

import java.time.Clock;
import java.util.UUID;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import io.github.chatmemory.test.TestRedis;

/**
 * Spring AI's chat-memory tests on the Redis store, each test under its own key prefix.
 */
class RedisSpringAiChatMemoryIT extends AbstractSpringAiChatMemoryTests {

	@Override
	protected ChatMemoryStore createStore(Clock clock) {
		return new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
				new RedisStoreSettings("test:" + UUID.randomUUID() + ":", null, 0), clock);
	}

}
