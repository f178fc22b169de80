package io.github.chatmemory.autoconfigure;

import java.time.Clock;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The store configurations, imported in order of preference: Redis when a
 * {@link RedisConnectionFactory} exists (or is asked for), otherwise in-memory. Asking
 * for Redis without a connection factory fails at startup rather than falling back to
 * memory.
 */
final class ChatMemoryStoreConfigurations {

	private static final String REDIS_CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";

	private ChatMemoryStoreConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = REDIS_CONNECTION_FACTORY)
	@ConditionalOnBean(type = REDIS_CONNECTION_FACTORY)
	@ConditionalOnProperty(name = "chat-memory.store", havingValue = "redis", matchIfMissing = true)
	static class RedisStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(ChatMemoryStore.class)
		RedisChatMemoryStore chatMemoryStore(RedisConnectionFactory redisConnectionFactory,
				ChatMemoryProperties properties, ObjectProvider<Clock> clock) {
			ChatMemoryProperties.Redis redis = properties.getRedis();
			if (redis.getMaxHistory() < 0) {
				throw new IllegalStateException(
						"chat-memory.redis.max-history must be 0 (keep all) or positive but was " + redis.getMaxHistory());
			}
			return new RedisChatMemoryStore(redisConnectionFactory,
					new RedisStoreSettings(redis.getKeyPrefix(), redis.getTimeToLive(), redis.getMaxHistory()),
					ChatMemoryAutoConfiguration.clock(clock));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "chat-memory.store", havingValue = "redis")
	@ConditionalOnMissingBean(type = REDIS_CONNECTION_FACTORY)
	static class MissingRedisConfiguration {

		@Bean
		@ConditionalOnMissingBean(ChatMemoryStore.class)
		ChatMemoryStore chatMemoryStore() {
			throw new IllegalStateException("chat-memory.store=redis needs a RedisConnectionFactory bean: add "
					+ "spring-boot-starter-data-redis and configure spring.data.redis.*, or set "
					+ "chat-memory.store=in-memory");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "chat-memory.store", havingValue = "in-memory", matchIfMissing = true)
	static class InMemoryStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(ChatMemoryStore.class)
		InMemoryChatMemoryStore chatMemoryStore(ChatMemoryProperties properties, ObjectProvider<Clock> clock) {
			ChatMemoryProperties.InMemory inMemory = properties.getInMemory();
			return new InMemoryChatMemoryStore(inMemory.getMaxSessions(), inMemory.getMaxHistory(),
					inMemory.getMaxBytes().toBytes(), ChatMemoryAutoConfiguration.clock(clock));
		}

	}

}
