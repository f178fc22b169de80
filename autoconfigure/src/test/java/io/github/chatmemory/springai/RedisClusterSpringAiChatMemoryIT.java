package io.github.chatmemory.springai;

import java.time.Clock;
import java.util.UUID;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import io.github.chatmemory.test.TestRedisCluster;


/**
 * Spring AI's chat-memory tests on a 3-master Redis Cluster, started as
 * {@code RedisClusterChatMemoryStoreIT} starts it.
 */
class RedisClusterSpringAiChatMemoryIT extends AbstractSpringAiChatMemoryTests {

	@Override
	protected ChatMemoryStore createStore(Clock clock) {
		return new RedisChatMemoryStore(TestRedisCluster.shared().connectionFactory(),
				new RedisStoreSettings("test:" + UUID.randomUUID() + ":", null, 0), clock);
	}

}
