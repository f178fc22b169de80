package io.github.chatmemory.store.redis;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.AbstractSummaryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The summary contract on {@link RedisChatMemoryStore} against a real Redis, plus what
 * only Redis does: the summaries key and its time-to-live.
 */
class RedisSummaryStoreIT extends AbstractSummaryStoreContractTests {

	private String prefix;

	@Override
	protected ChatMemoryStore createStore(int maxHistory) {
		this.prefix = "test:" + UUID.randomUUID() + ":";
		return new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
				new RedisStoreSettings(this.prefix, null, maxHistory), this.clock);
	}

	@Test
	void keepsSummariesInTheSessionsHashSlotAndLivesAsLongAsTheSession() {
		String ttlPrefix = "test:" + UUID.randomUUID() + ":";
		this.store = new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
				new RedisStoreSettings(ttlPrefix, Duration.ofSeconds(30), 0), this.clock);
		List<StoredMessage> messages = session("s-ttl", 2);
		this.store.saveSummary(summary("s-ttl", "sum-1", null, messages.get(1)));
		StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
		String key = ttlPrefix + "{s:s-ttl}:sums";
		assertThat(redis.opsForList().size(key)).isEqualTo(1);
		Long ttl = redis.getExpire(key);
		assertThat(ttl).isBetween(1L, 30L);
		// a later write refreshes every key of the session, the summaries too
		redis.expire(key, Duration.ofSeconds(5));
		append("s-ttl", 1);
		assertThat(redis.getExpire(key)).isGreaterThan(5L);
		this.store.deleteSession("s-ttl", null);
		assertThat(redis.hasKey(key)).isFalse();
	}

}
