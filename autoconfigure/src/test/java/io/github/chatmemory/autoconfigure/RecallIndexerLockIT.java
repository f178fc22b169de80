package io.github.chatmemory.autoconfigure;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.chatmemory.recall.RecallIndexer;
import io.github.chatmemory.store.jdbc.JdbcRetentionLock;
import io.github.chatmemory.store.redis.RedisRetentionLock;
import io.github.chatmemory.test.TestDatabases;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock of recall indexing passes on a real Redis and a real PostgreSQL: one holder at
 * a time, and apart from the retention lock, which keeps its key and row.
 */
class RecallIndexerLockIT {

	private final String keyPrefix = "test:" + UUID.randomUUID() + ":";

	@Test
	void theRedisStoreConfigurationLocksIndexingPassesUnderTheirOwnKey() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataRedisAutoConfiguration.class, ChatMemoryAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + TestRedis.endpoint().host(),
					"spring.data.redis.port=" + TestRedis.endpoint().port(),
					"chat-memory.redis.key-prefix=" + this.keyPrefix, "chat-memory.recall.enabled=true",
					"chat-memory.retention.max-age=1d")
			.run((context) -> {
				RecallIndexer.Lock lock = context.getBean(RecallIndexer.Lock.class);
				ScheduledRetention.Lock retention = context.getBean(ScheduledRetention.Lock.class);
				StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
				AtomicBoolean heldKey = new AtomicBoolean();
				AtomicBoolean secondRan = new AtomicBoolean(true);
				AtomicBoolean retentionRan = new AtomicBoolean();
				assertThat(lock.runExclusively(() -> {
					heldKey.set(redis.hasKey(this.keyPrefix + "recall-indexer:lock"));
					secondRan.set(lock.runExclusively(() -> {
					}));
					retentionRan.set(retention.runExclusively(() -> {
					}));
				})).isTrue();
				assertThat(heldKey).isTrue();
				assertThat(secondRan).as("a second pass while one holds the lock").isFalse();
				assertThat(retentionRan).as("retention has a lock of its own").isTrue();
				assertThat(redis.hasKey(this.keyPrefix + "recall-indexer:lock")).isFalse();
			});
	}

	@Test
	void theRetentionLockKeepsItsKey() {
		RedisRetentionLock retention = new RedisRetentionLock(TestRedis.sharedConnectionFactory(), this.keyPrefix,
				Duration.ofMinutes(1));
		assertThat(retention.getKey()).isEqualTo(this.keyPrefix + "retention:lock");
		assertThat(new RedisRetentionLock(TestRedis.sharedConnectionFactory(), this.keyPrefix, "recall-indexer",
				Duration.ofMinutes(1))
			.getKey()).isEqualTo(this.keyPrefix + "recall-indexer:lock");
	}

	@Test
	void aNamedJdbcLeaseIsExclusiveAndApartFromRetentionOnPostgreSql() {
		TestDatabases.Tables tables = TestDatabases.POSTGRESQL.createTables();
		try {
			JdbcRetentionLock first = new JdbcRetentionLock(tables.dataSource(), tables.settings(0), "recall-indexer",
					Duration.ofMinutes(5));
			JdbcRetentionLock second = new JdbcRetentionLock(tables.dataSource(), tables.settings(0),
					"recall-indexer", Duration.ofMinutes(5));
			JdbcRetentionLock retention = new JdbcRetentionLock(tables.dataSource(), tables.settings(0),
					Duration.ofMinutes(5));
			AtomicBoolean secondRan = new AtomicBoolean(true);
			AtomicBoolean retentionRan = new AtomicBoolean();
			assertThat(first.runExclusively(() -> {
				secondRan.set(second.runExclusively(() -> {
				}));
				retentionRan.set(retention.runExclusively(() -> {
				}));
			})).isTrue();
			assertThat(secondRan).isFalse();
			assertThat(retentionRan).isTrue();
			assertThat(second.runExclusively(() -> {
			})).isTrue();
			assertThat(new org.springframework.jdbc.core.JdbcTemplate(tables.dataSource())
				.queryForList("SELECT name FROM " + tables.prefix() + "lease ORDER BY name", String.class))
				.containsExactly("recall-indexer", "retention");
		}
		finally {
			tables.drop();
		}
	}

}
