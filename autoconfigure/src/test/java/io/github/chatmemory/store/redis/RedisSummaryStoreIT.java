package io.github.chatmemory.store.redis;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.github.chatmemory.ChatSession;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.store.AbstractSummaryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.test.RedisServerProcess;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
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
		save(summary("s-ttl", "sum-1", null, messages.get(1)));
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

	@Test
	void importWritesTheSummariesInTheSameScriptWithTheSessionsTimeToLive() {
		// a private server, so that its count of script calls is this test's alone
		RedisServerProcess server = RedisServerProcess.start();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", server.port()));
		try {
			factory.afterPropertiesSet();
			factory.start();
			this.store = new RedisChatMemoryStore(factory, new RedisStoreSettings("t:", Duration.ofSeconds(30), 0),
					this.clock);
			List<StoredMessage> messages = session("s-ttl", 2);
			StoredSummary first = summary("s-ttl", "sum-1", null, messages.get(1));
			ChatSession session = this.store.findSession("s-ttl").orElseThrow();
			this.store.deleteSession("s-ttl", null);
			// the first call of a script on a server loads it: not counted
			this.store.importSession(new ChatSession("warm-up", null, "", java.util.Map.of(), true,
					session.createdAt(), session.updatedAt(), 0), List.of(), List.of(), false, null);
			long before = scriptCalls(server);
			this.store.importSession(session, messages, List.of(first), false, null);
			// one script wrote the session, its messages and its summaries: no crash comes between
			assertThat(scriptCalls(server) - before).isEqualTo(1);
			assertThat(this.store.findLatestSummary("s-ttl")).contains(first);
			assertThat(new StringRedisTemplate(factory).getExpire("t:{s:s-ttl}:sums")).isBetween(1L, 30L);
		}
		finally {
			factory.destroy();
			server.stop();
		}
	}

	@Test
	void theFirstPageOfAWindowAndItsSummaryAreOneScript() {
		// a private server, so that its count of script calls is this test's alone
		RedisServerProcess server = RedisServerProcess.start();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", server.port()));
		try {
			factory.afterPropertiesSet();
			factory.start();
			this.store = new RedisChatMemoryStore(factory, new RedisStoreSettings("t:", null, 0), this.clock);
			List<StoredMessage> messages = session("s-one", 3);
			StoredSummary first = summary("s-one", "sum-1", null, messages.get(1));
			save(first);
			// the first call of a script on a server loads it: not counted
			this.store.readRecent("s-one", 2, true, true);
			long before = scriptCalls(server);
			assertThat(this.store.readRecent("s-one", 2, true, true).latestSummary()).isEqualTo(first);
			assertThat(scriptCalls(server) - before).isEqualTo(1);
		}
		finally {
			factory.destroy();
			server.stop();
		}
	}

	private static long scriptCalls(RedisServerProcess server) {
		long calls = 0;
		for (String line : server.cli("INFO", "commandstats").split("\\R")) {
			if (line.startsWith("cmdstat_eval:") || line.startsWith("cmdstat_evalsha:")) {
				calls += Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
			}
		}
		return calls;
	}

}
