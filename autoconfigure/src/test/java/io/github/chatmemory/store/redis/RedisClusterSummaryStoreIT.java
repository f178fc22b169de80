package io.github.chatmemory.store.redis;

import java.util.UUID;

import io.github.chatmemory.store.AbstractSummaryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.TestRedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The summary contract on a local three-master Redis Cluster: the summaries key shares
 * its session's hash slot, so every summary script stays within one slot.
 */
class RedisClusterSummaryStoreIT extends AbstractSummaryStoreContractTests {

	private static TestRedisCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = TestRedisCluster.start();
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Override
	protected ChatMemoryStore createStore(int maxHistory) {
		return new RedisChatMemoryStore(cluster.connectionFactory(),
				new RedisStoreSettings("test:" + UUID.randomUUID() + ":", null, maxHistory), this.clock);
	}

}
