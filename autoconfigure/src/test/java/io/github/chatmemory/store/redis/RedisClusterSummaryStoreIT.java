package io.github.chatmemory.store.redis;

import java.util.UUID;

import io.github.chatmemory.store.AbstractSummaryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.TestRedisCluster;

/**
 * The summary contract on a local three-master Redis Cluster: the summaries key shares
 * its session's hash slot, so every summary script stays within one slot.
 */
class RedisClusterSummaryStoreIT extends AbstractSummaryStoreContractTests {

	@Override
	protected ChatMemoryStore createStore(int maxHistory) {
		return new RedisChatMemoryStore(TestRedisCluster.shared().connectionFactory(),
				new RedisStoreSettings("test:" + UUID.randomUUID() + ":", null, maxHistory), this.clock);
	}

}
