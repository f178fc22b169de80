package io.github.chatmemory.store.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.store.AbstractChatMemoryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.TestRedisCluster;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract on a local three-master Redis Cluster, configured the way an
 * application would: {@code spring.data.redis.cluster.nodes}. Sessions spread over the
 * masters; every script stays within one slot.
 */
class RedisClusterChatMemoryStoreIT extends AbstractChatMemoryStoreContractTests {

	@Override
	protected ChatMemoryStore createStore(int maxHistory) {
		return new RedisChatMemoryStore(TestRedisCluster.shared().connectionFactory(),
				new RedisStoreSettings("test:" + UUID.randomUUID() + ":", null, maxHistory), this.clock);
	}

	@Test
	void usesAClusterConnectionAndSpreadsSessionsOverTheMasters() {
		RedisConnectionFactory factory = TestRedisCluster.shared().connectionFactory();
		assertThat(((LettuceConnectionFactory) factory).getClusterConfiguration()).isNotNull();
		for (int i = 0; i < 30; i++) {
			this.manager.createSession(new NewSession("spread-" + i, "ada", null, Map.of()));
			this.manager.appendMessages("spread-" + i, List.of(NewMessage.of(MessageRole.USER, "hi " + i)));
		}
		assertThat(this.manager.listSessions("ada", 0, 100).totalItems()).isEqualTo(30);
		assertThat(this.manager.getStatistics().messages()).isEqualTo(30);
		assertThat(this.manager.cleanupOlderThan(Duration.ofDays(1))).isZero();
	}

}
