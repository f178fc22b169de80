package io.github.chatmemory.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import io.github.chatmemory.autoconfigure.ChatMemoryProperties.StoreType;
import io.github.chatmemory.recall.RecallIndexer;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.jdbc.JdbcChatMemoryStore;
import io.github.chatmemory.store.jdbc.JdbcRetentionLock;
import io.github.chatmemory.store.jdbc.JdbcStoreSettings;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisRetentionLock;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * The store configurations, imported in order of preference: Redis when there is one
 * {@link RedisConnectionFactory} candidate (the only one, or the primary one) or Redis is
 * asked for, JDBC only when asked for, otherwise in-memory. Asking for Redis or JDBC
 * without what it needs fails at startup rather than falling back to memory. Each logs,
 * once, which store it chose and why.
 */
final class ChatMemoryStoreConfigurations {

	private static final Log logger = LogFactory.getLog(ChatMemoryStoreConfigurations.class);

	private static final String REDIS_CONNECTION_FACTORY = "org.springframework.data.redis.connection.RedisConnectionFactory";

	private static final String JDBC_CLIENT = "org.springframework.jdbc.core.simple.JdbcClient";

	private static final String DATABASE_INITIALIZATION_MODE = "org.springframework.boot.sql.init.DatabaseInitializationMode";

	private static final String EMBEDDED_DATABASE_CONNECTION = "org.springframework.boot.jdbc.EmbeddedDatabaseConnection";

	/** The name of the lock of recall indexing passes, in Redis keys and the JDBC lease table. */
	static final String RECALL_LOCK = "recall-indexer";

	private ChatMemoryStoreConfigurations() {
	}

	private static boolean storeSet(ChatMemoryProperties properties) {
		return properties.getStore() != null;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = REDIS_CONNECTION_FACTORY)
	@ConditionalOnSingleCandidate(type = REDIS_CONNECTION_FACTORY)
	@ConditionalOnChatMemoryStore(value = StoreType.REDIS, matchIfMissing = true)
	@EnableConfigurationProperties({ ChatMemoryRedisProperties.class, ChatMemoryRecallProperties.class })
	static class RedisStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(ChatMemoryStore.class)
		RedisChatMemoryStore chatMemoryStore(RedisConnectionFactory redisConnectionFactory,
				ChatMemoryProperties properties, ChatMemoryRedisProperties redis, ObjectProvider<Clock> clock) {
			if (redis.getMaxHistory() < 0) {
				throw new InvalidChatMemoryPropertyException("chat-memory.redis.max-history", redis.getMaxHistory(),
						"must be 0 (keep all) or positive", "Set chat-memory.redis.max-history to 0 or more.", null);
			}
			logger.info("Chat memory store: redis ("
					+ (storeSet(properties) ? "chat-memory.store=redis"
							: "chat-memory.store is not set and a RedisConnectionFactory bean exists")
					+ "), key prefix '" + redis.getKeyPrefix() + "'");
			return new RedisChatMemoryStore(redisConnectionFactory,
					new RedisStoreSettings(redis.getKeyPrefix(), redis.getTimeToLive(), redis.getMaxHistory()),
					ChatMemoryAutoConfiguration.clock(clock));
		}

		/**
		 * Lets one instance at a time run the scheduled retention of the store they share.
		 * The lease is the retention interval: a crashed holder delays the others by one
		 * interval at most.
		 */
		@Bean
		@ConditionalOnProperty("chat-memory.retention.max-age")
		@ConditionalOnBean(RedisChatMemoryStore.class)
		@ConditionalOnMissingBean(ScheduledRetention.Lock.class)
		ScheduledRetention.Lock chatMemoryRetentionLock(RedisConnectionFactory redisConnectionFactory,
				ChatMemoryProperties properties, ChatMemoryRedisProperties redis) {
			RedisRetentionLock lock = new RedisRetentionLock(redisConnectionFactory, redis.getKeyPrefix(),
					properties.getRetention().getInterval());
			return lock::runExclusively;
		}

		/**
		 * Lets one instance at a time run a recall indexing pass over the queue they share.
		 */
		@Bean
		@ConditionalOnBooleanProperty("chat-memory.recall.enabled")
		@ConditionalOnBean(RedisChatMemoryStore.class)
		@ConditionalOnMissingBean(RecallIndexer.Lock.class)
		RecallIndexer.Lock chatMemoryRecallLock(RedisConnectionFactory redisConnectionFactory,
				ChatMemoryRedisProperties redis, ChatMemoryRecallProperties recall) {
			RedisRetentionLock lock = new RedisRetentionLock(redisConnectionFactory, redis.getKeyPrefix(),
					RECALL_LOCK, recall.getIndexer().getLockLease());
			return lock::runExclusively;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnChatMemoryStore(StoreType.REDIS)
	static class MissingRedisConfiguration {

		/**
		 * Registered only when the Redis store configuration above did not register a store:
		 * there is no single connection factory to use.
		 */
		@Bean
		@ConditionalOnMissingBean(ChatMemoryStore.class)
		ChatMemoryStore chatMemoryStore(ListableBeanFactory beanFactory) {
			throw new InvalidChatMemoryPropertyException(OnChatMemoryStoreCondition.PROPERTY, "redis",
					"needs a RedisConnectionFactory bean but " + redisConnectionFactories(beanFactory),
					"Add spring-boot-starter-data-redis and configure spring.data.redis.* (or mark one "
							+ "RedisConnectionFactory bean @Primary), or set chat-memory.store=in-memory.",
					null);
		}

	}

	/**
	 * The JDBC store on the application's one {@link DataSource} candidate, never chosen
	 * without {@code chat-memory.store=jdbc}: an application's business database gets no
	 * tables it did not ask for.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { JDBC_CLIENT, DATABASE_INITIALIZATION_MODE, EMBEDDED_DATABASE_CONNECTION })
	@ConditionalOnSingleCandidate(DataSource.class)
	@ConditionalOnChatMemoryStore(StoreType.JDBC)
	@EnableConfigurationProperties({ ChatMemoryJdbcProperties.class, ChatMemoryRecallProperties.class })
	// makes beans marked @DependsOnDatabaseInitialization wait for Flyway, Liquibase and
	// Boot's SQL scripts, which may be what creates the store's tables
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class JdbcStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(ChatMemoryStore.class)
		JdbcStoreSettings chatMemoryJdbcStoreSettings(DataSource dataSource, ChatMemoryJdbcProperties jdbc) {
			return jdbc.toSettings(dataSource);
		}

		@Bean
		@DependsOnDatabaseInitialization
		@ConditionalOnMissingBean(ChatMemoryStore.class)
		JdbcSchemaInitializer chatMemoryJdbcSchemaInitializer(DataSource dataSource, JdbcStoreSettings settings,
				ChatMemoryJdbcProperties jdbc) {
			return new JdbcSchemaInitializer(dataSource, settings, jdbc.getInitializeSchema());
		}

		/**
		 * The store, made once its tables are known to be there.
		 */
		@Bean
		@ConditionalOnMissingBean(ChatMemoryStore.class)
		JdbcChatMemoryStore chatMemoryStore(DataSource dataSource, JdbcStoreSettings settings,
				JdbcSchemaInitializer schemaInitializer, ObjectProvider<Clock> clock) {
			logger.info("Chat memory store: jdbc (chat-memory.store=jdbc), " + settings.dialect().platform()
					+ " database, table prefix '" + settings.tablePrefix() + "'");
			return new JdbcChatMemoryStore(dataSource, settings, ChatMemoryAutoConfiguration.clock(clock));
		}

		/**
		 * Lets one instance at a time run the scheduled retention of the database they
		 * share. The lease is the retention interval: a crashed holder delays the others by
		 * one interval at most. Only for the store made here: an application's own JDBC store
		 * comes without these settings, and brings its own lock if it needs one.
		 */
		@Bean
		@ConditionalOnProperty("chat-memory.retention.max-age")
		@ConditionalOnBean({ JdbcChatMemoryStore.class, JdbcStoreSettings.class })
		@ConditionalOnMissingBean(ScheduledRetention.Lock.class)
		ScheduledRetention.Lock chatMemoryRetentionLock(DataSource dataSource, JdbcStoreSettings settings,
				ChatMemoryProperties properties) {
			JdbcRetentionLock lock = new JdbcRetentionLock(dataSource, settings,
					properties.getRetention().getInterval());
			return lock::runExclusively;
		}

		/**
		 * Lets one instance at a time run a recall indexing pass over the queue they share.
		 */
		@Bean
		@ConditionalOnBooleanProperty("chat-memory.recall.enabled")
		@ConditionalOnBean({ JdbcChatMemoryStore.class, JdbcStoreSettings.class })
		@ConditionalOnMissingBean(RecallIndexer.Lock.class)
		RecallIndexer.Lock chatMemoryRecallLock(DataSource dataSource, JdbcStoreSettings settings,
				ChatMemoryRecallProperties recall) {
			JdbcRetentionLock lock = new JdbcRetentionLock(dataSource, settings, RECALL_LOCK,
					recall.getIndexer().getLockLease());
			return lock::runExclusively;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnChatMemoryStore(StoreType.JDBC)
	static class MissingJdbcConfiguration {

		/**
		 * Registered only when the JDBC store configuration above did not register a store:
		 * Spring JDBC is missing, or there is no single data source to use.
		 */
		@Bean
		@ConditionalOnMissingBean(ChatMemoryStore.class)
		ChatMemoryStore chatMemoryStore(ConfigurableListableBeanFactory beanFactory) {
			ClassLoader classLoader = beanFactory.getBeanClassLoader();
			boolean springJdbc = ClassUtils.isPresent(JDBC_CLIENT, classLoader)
					&& ClassUtils.isPresent(DATABASE_INITIALIZATION_MODE, classLoader)
					&& ClassUtils.isPresent(EMBEDDED_DATABASE_CONNECTION, classLoader);
			if (!springJdbc) {
				throw new InvalidChatMemoryPropertyException(OnChatMemoryStoreCondition.PROPERTY, "jdbc",
						"needs Spring JDBC but it is not on the class path",
						"Add spring-boot-starter-jdbc and the JDBC driver of your database, set "
								+ "spring.datasource.url, or set chat-memory.store=in-memory.",
						null);
			}
			String[] names = beanFactory.getBeanNamesForType(DataSource.class, true, false);
			throw new InvalidChatMemoryPropertyException(OnChatMemoryStoreCondition.PROPERTY, "jdbc",
					"needs a DataSource bean but " + ((names.length == 0) ? "there is none"
							: "there are " + names.length + " DataSource beans " + java.util.Arrays.toString(names)
									+ " and none is @Primary"),
					"Configure spring.datasource.url (with spring-boot-starter-jdbc and the JDBC driver of your "
							+ "database), or mark one DataSource bean @Primary, or set chat-memory.store=in-memory.",
					null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnChatMemoryStore(value = StoreType.IN_MEMORY, matchIfMissing = true)
	@EnableConfigurationProperties(ChatMemoryInMemoryProperties.class)
	static class InMemoryStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean(ChatMemoryStore.class)
		InMemoryChatMemoryStore chatMemoryStore(ChatMemoryProperties properties, ChatMemoryInMemoryProperties inMemory,
				ObjectProvider<Clock> clock, ListableBeanFactory beanFactory) {
			String message = "Chat memory store: in-memory (" + (storeSet(properties) ? "chat-memory.store=in-memory"
					: "chat-memory.store is not set and " + redisConnectionFactories(beanFactory))
					+ "); conversations are lost on restart and not shared between instances"
					+ (!storeSet(properties) && hasDataSources(beanFactory)
							? " (a DataSource exists: chat-memory.store=jdbc keeps them in its database)" : "");
			if (!storeSet(properties) && hasRedisConnectionFactories(beanFactory)) {
				// Redis is there but cannot be chosen: never a silent fallback
				logger.warn(message + ". Mark one RedisConnectionFactory @Primary, or set chat-memory.store");
			}
			else {
				logger.info(message);
			}
			return new InMemoryChatMemoryStore(inMemory.getMaxSessions(), inMemory.getMaxHistory(),
					inMemory.getMaxBytes().toBytes(), ChatMemoryAutoConfiguration.clock(clock));
		}

	}

	private static boolean hasDataSources(ListableBeanFactory beanFactory) {
		return beanFactory.getBeanNamesForType(DataSource.class, true, false).length > 0;
	}

	private static boolean hasRedisConnectionFactories(ListableBeanFactory beanFactory) {
		return ClassUtils.isPresent(REDIS_CONNECTION_FACTORY, ChatMemoryStoreConfigurations.class.getClassLoader())
				&& beanFactory.getBeanNamesForType(ClassUtils.resolveClassName(REDIS_CONNECTION_FACTORY,
						ChatMemoryStoreConfigurations.class.getClassLoader()), true, false).length > 0;
	}

	/**
	 * Says why no RedisConnectionFactory could be used, without loading Redis classes that
	 * may be absent.
	 */
	private static String redisConnectionFactories(ListableBeanFactory beanFactory) {
		if (!ClassUtils.isPresent(REDIS_CONNECTION_FACTORY, ChatMemoryStoreConfigurations.class.getClassLoader())) {
			return "Spring Data Redis is not on the class path";
		}
		String[] names = beanFactory.getBeanNamesForType(
				ClassUtils.resolveClassName(REDIS_CONNECTION_FACTORY, ChatMemoryStoreConfigurations.class.getClassLoader()));
		return (names.length == 0) ? "there is no RedisConnectionFactory bean"
				: "there are " + names.length + " RedisConnectionFactory beans " + java.util.Arrays.toString(names)
						+ " and none is @Primary";
	}

}
