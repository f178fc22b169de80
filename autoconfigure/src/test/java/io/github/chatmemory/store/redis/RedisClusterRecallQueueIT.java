package io.github.chatmemory.store.redis;

import io.github.chatmemory.test.TestRedisCluster;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The recall queue contract, and the Redis checks of {@link RedisRecallQueueIT}, on a
 * local three-master Redis Cluster: a session's task shares its session's hash slot, the
 * queue lives in a slot of its own, and the repair scans every master.
 */
class RedisClusterRecallQueueIT extends RedisRecallQueueIT {

	@Override
	protected RedisConnectionFactory connectionFactory() {
		return TestRedisCluster.shared().connectionFactory();
	}

}
