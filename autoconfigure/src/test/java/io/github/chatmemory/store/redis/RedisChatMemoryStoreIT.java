package io.github.chatmemory.store.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.store.AbstractChatMemoryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store contract on {@link RedisChatMemoryStore} against a real Redis, plus what only
 * Redis does: key layout and time-to-live.
 */
class RedisChatMemoryStoreIT extends AbstractChatMemoryStoreContractTests {

	private String prefix;

	@Override
	protected ChatMemoryStore createStore(int maxHistory) {
		this.prefix = "test:" + UUID.randomUUID() + ":";
		return new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
				new RedisStoreSettings(this.prefix, null, maxHistory),
				this.clock);
	}

	@Test
	void keepsEverySessionKeyInOneHashSlot() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "hi"));
		StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
		assertThat(redis.hasKey(this.prefix + "{s:s-1}:meta")).isTrue();
		assertThat(redis.hasKey(this.prefix + "{s:s-1}:msgs")).isTrue();
		assertThat(redis.hasKey(this.prefix + "{s:s-1}:ids")).isTrue();
		assertThat(redis.opsForZSet().score(this.prefix + "{u:ada}:sessions", "s-1")).isNotNull();
	}

	@Test
	void sessionsExpireAfterTheirTimeToLiveAndLeaveTheUserListing() {
		String ttlPrefix = "test:" + UUID.randomUUID() + ":";
		ChatMemoryManager expiring = new ChatMemoryManager(new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
				new RedisStoreSettings(ttlPrefix, Duration.ofMillis(300), 0), this.clock), ValidationRules.defaults());
		expiring.createSession(new NewSession("s-ttl", "ada", null, Map.of()));
		expiring.appendMessages("s-ttl", List.of(NewMessage.of(MessageRole.USER, "soon gone")));
		StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
		assertThat(redis.getExpire(ttlPrefix + "{s:s-ttl}:msgs")).isNotNegative();
		await().atMost(Duration.ofSeconds(5)).until(() -> expiring.findSession("s-ttl").isEmpty());
		assertThat(redis.hasKey(ttlPrefix + "{s:s-ttl}:msgs")).isFalse();
		assertThat(expiring.listSessions("ada", 0, 10).items()).isEmpty();
	}

}
