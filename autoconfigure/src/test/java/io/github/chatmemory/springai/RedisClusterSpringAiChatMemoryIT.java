package io.github.chatmemory.springai;

import java.time.Clock;
import java.util.UUID;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import io.github.chatmemory.test.RedisClusterProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Spring AI's chat-memory tests on a 3-master Redis Cluster, started as
 * {@code RedisClusterChatMemoryStoreIT} starts it.
 */
class RedisClusterSpringAiChatMemoryIT extends AbstractSpringAiChatMemoryTests {

	private static RedisClusterProcess cluster;

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void startCluster() {
		cluster = RedisClusterProcess.start();
		context = new SpringApplicationBuilder(RedisOnly.class).web(WebApplicationType.NONE)
			.properties("spring.data.redis.cluster.nodes=" + cluster.nodes(), "spring.data.redis.timeout=5s")
			.run();
	}

	@AfterAll
	static void stopCluster() {
		if (context != null) {
			context.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Override
	protected ChatMemoryStore createStore(Clock clock) {
		return new RedisChatMemoryStore(context.getBean(RedisConnectionFactory.class),
				new RedisStoreSettings("test:" + UUID.randomUUID() + ":", null, 0), clock);
	}

	/**
	 * Only Spring Boot's Redis auto-configuration, for the connection factory.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DataRedisAutoConfiguration.class)
	static class RedisOnly {

	}

}
