package io.github.chatmemory.summary;

import java.time.Clock;
import java.util.UUID;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import io.github.chatmemory.test.TestRedis;

/**
 * {@link SummaryConcurrencyTests} on a real Redis, where the check runs in the summary's
 * Lua script.
 */
class RedisSummaryConcurrencyIT extends SummaryConcurrencyTests {

	@Override
	protected ChatMemoryStore createStore() {
		return new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
				new RedisStoreSettings("test:" + UUID.randomUUID() + ":", null, 0), Clock.systemUTC());
	}

}
