package io.github.chatmemory.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.store.AbstractChatMemoryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.StoredMessageCodec;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

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
	void clearingMessagesKeepsTheBranchListAliveAsLongAsTheSession() {
		String prefix = "test:" + UUID.randomUUID() + ":";
		RedisChatMemoryStore store = new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
				new RedisStoreSettings(prefix, Duration.ofSeconds(30), 0), Clock.systemUTC());
		store.createSession("src", "ada", "", Map.of());
		store.createSession("fork", "ada", "", Map.of());
		assertThat(store.addBranch("src", "fork", java.time.Instant.now())).isTrue();
		StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
		String branches = prefix + "{s:src}:branches";
		// time passes: the keys have 5 s left, then a clear counts as activity
		redis.expire(prefix + "{s:src}:meta", Duration.ofSeconds(5));
		redis.expire(branches, Duration.ofSeconds(5));
		store.clearMessages("src", null);
		assertThat(redis.getExpire(prefix + "{s:src}:meta")).isGreaterThan(5L);
		assertThat(redis.getExpire(branches)).isGreaterThan(5L);
	}

	@Test
	void aSessionMadeByAnAppendDropsABranchListLeftWithoutItsSession() {
		String prefix = "test:" + UUID.randomUUID() + ":";
		RedisChatMemoryStore store = new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
				new RedisStoreSettings(prefix, null, 0), Clock.systemUTC());
		StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
		// a branch list whose session went (evicted under memory pressure) is not the new session's
		redis.opsForZSet().add(prefix + "{s:again}:branches", "someone-elses-fork", 1);
		store.append("again", List.of(NewMessage.of(MessageRole.USER, "hi").withId("m-1")), true, null);
		assertThat(redis.hasKey(prefix + "{s:again}:branches")).isFalse();
		// and so does an import under a new id
		redis.opsForZSet().add(prefix + "{s:imported}:branches", "someone-elses-fork", 1);
		ChatSession session = store.findSession("again").orElseThrow();
		store.importSession(new ChatSession("imported", "ada", "", Map.of(), true, session.createdAt(),
				session.updatedAt(), 0), List.of(), false, null);
		assertThat(redis.hasKey(prefix + "{s:imported}:branches")).isFalse();
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

	@Test
	void expiredSessionsLeaveEveryIndexAndTheStatistics() {
		// issue 12 B3: expired sessions stayed in the indexes and counters forever
		String ttlPrefix = "test:" + UUID.randomUUID() + ":";
		ChatMemoryManager expiring = ChatMemoryManager
			.builder(new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
					new RedisStoreSettings(ttlPrefix, Duration.ofMillis(500), 0), Clock.systemUTC()))
			.build();
		expiring.createSession(new NewSession("gone-1", "ada", null, Map.of()));
		expiring.createSession(new NewSession("gone-2", "ada", null, Map.of()));
		expiring.appendMessages("gone-1", List.of(NewMessage.of(MessageRole.USER, "soon gone")));
		expiring.appendMessages("anon", List.of(NewMessage.of(MessageRole.USER, "soon gone too")), true);
		assertThat(expiring.getStatistics().sessions()).isEqualTo(3);
		await().atMost(Duration.ofSeconds(10)).until(() -> expiring.findSession("gone-1").isEmpty()
				&& expiring.findSession("anon").isEmpty());
		expiring.createSession(new NewSession("alive", "bob", null, Map.of()));
		expiring.appendMessages("alive", List.of(NewMessage.of(MessageRole.USER, "still here")));

		ChatMemoryStatistics stats = expiring.getStatistics();
		assertThat(stats.sessions()).isEqualTo(1);
		assertThat(stats.activeSessions()).isEqualTo(1);
		assertThat(stats.messages()).isEqualTo(1);
		assertThat(stats.users()).isEqualTo(1);
		assertThat(expiring.listSessionIds(10)).containsExactly("alive");
		PagedResult<ChatSession> adas = expiring.listSessions("ada", 0, 10);
		assertThat(adas.items()).isEmpty();
		assertThat(adas.totalItems()).isZero();
		assertThat(adas.hasNext()).isFalse();
		StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
		// the user index expires with its newest session
		await().atMost(Duration.ofSeconds(10)).until(() -> !redis.hasKey(ttlPrefix + "{u:ada}:sessions"));
	}

	@Test
	void trimmingByTimeToLiveNeverHidesALiveSessionWhoseIndexWriteWasLost() {
		// review of issue 12: an entry scored too old by a lost index write was trimmed while its session lived
		String ttlPrefix = "test:" + UUID.randomUUID() + ":";
		ChatMemoryManager expiring = ChatMemoryManager
			.builder(new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
					new RedisStoreSettings(ttlPrefix, Duration.ofMinutes(10), 0), Clock.systemUTC()))
			.build();
		expiring.createSession(new NewSession("live", "ada", null, Map.of()));
		expiring.appendMessages("live", List.of(NewMessage.of(MessageRole.USER, "still here")));
		StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
		long anHourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
		redis.opsForZSet().add(ttlPrefix + "sessions", "live", anHourAgo);
		redis.opsForZSet().add(ttlPrefix + "{u:ada}:sessions", "live", anHourAgo);
		assertThat(expiring.listSessions("ada", 0, 10).items()).extracting(ChatSession::id).containsExactly("live");
		assertThat(expiring.listSessionIds(10)).containsExactly("live");
		assertThat(redis.opsForZSet().score(ttlPrefix + "sessions", "live")).isGreaterThan((double) anHourAgo);
		assertThat(expiring.getStatistics().sessions()).isEqualTo(1);
	}

	@Test
	void listingsSkipVanishedSessionsBeforeCuttingThePage() {
		// issue 12 B4: "repair when read" shifted pages: page 0 came back empty with has_next=true
		for (int i = 0; i < 20; i++) {
			this.manager.createSession(new NewSession("s-" + i, "ada", null, Map.of()));
			this.clock.advance(Duration.ofSeconds(1));
		}
		StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
		// the ten newest vanish behind the store's back, as under memory pressure
		for (int i = 10; i < 20; i++) {
			redis.delete(List.of(this.prefix + "{s:s-" + i + "}:meta"));
		}
		PagedResult<ChatSession> second = this.manager.listSessions("ada", 1, 5);
		assertThat(second.items()).extracting(ChatSession::id).containsExactly("s-4", "s-3", "s-2", "s-1", "s-0");
		assertThat(second.hasNext()).isFalse();
		PagedResult<ChatSession> first = this.manager.listSessions("ada", 0, 5);
		assertThat(first.items()).extracting(ChatSession::id).containsExactly("s-9", "s-8", "s-7", "s-6", "s-5");
		assertThat(first.hasNext()).isTrue();
		assertThat(first.totalItems()).isEqualTo(10);
		assertThat(this.manager.listSessionIds(100)).hasSize(10);
		assertThat(this.manager.getStatistics().sessions()).isEqualTo(10);

		// every other one vanishes: pages stay full
		for (int i = 0; i < 10; i += 2) {
			redis.delete(List.of(this.prefix + "{s:s-" + i + "}:meta"));
		}
		assertThat(this.manager.listSessions("ada", 0, 3).items()).extracting(ChatSession::id)
			.containsExactly("s-9", "s-7", "s-5");
		PagedResult<ChatSession> last = this.manager.listSessions("ada", 1, 3);
		assertThat(last.items()).extracting(ChatSession::id).containsExactly("s-3", "s-1");
		assertThat(last.hasNext()).isFalse();
		assertThat(last.totalItems()).isEqualTo(5);
	}

	@Test
	void aSessionWhoseMetaWasEvictedCanBeCreatedAgainAndAppendedTo() {
		// issue 12 B6: XADD failed on the leftover stream after the meta hash was evicted
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "1"),
				NewMessage.of(MessageRole.USER, "2"), NewMessage.of(MessageRole.USER, "3")));
		StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
		redis.delete(List.of(this.prefix + "{s:s-1}:meta"));
		this.manager.createSession(new NewSession("s-1", "ada", "again", Map.of()));
		StoredMessage stored = this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "fresh"));
		assertThat(stored.sequence()).isEqualTo(1);
		assertThat(this.manager.getAllMessages("s-1")).extracting(StoredMessage::content).containsExactly("fresh");
		assertThat(this.manager.getSession("s-1").messageCount()).isEqualTo(1);
	}

	@Test
	void retentionFindsASessionWhoseIndexEntryACrashLost() {
		// issue 12 B5: a session created by ChatMemory.add could stay out of the index forever
		this.manager.appendMessages("anon", List.of(NewMessage.of(MessageRole.USER, "hi")), true);
		this.manager.createSession(new NewSession("owned", "ada", null, Map.of()));
		StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
		redis.opsForZSet().remove(this.prefix + "sessions", "anon", "owned");
		redis.opsForZSet().remove(this.prefix + "{u:ada}:sessions", "owned");
		assertThat(this.manager.listSessionIds(10)).isEmpty();

		assertThat(this.manager.getStore().repairIndexes()).isGreaterThanOrEqualTo(2);
		assertThat(this.manager.listSessionIds(10)).containsExactlyInAnyOrder("anon", "owned");
		assertThat(this.manager.listSessions("ada", 0, 10).items()).extracting(ChatSession::id).containsExactly("owned");

		redis.opsForZSet().remove(this.prefix + "sessions", "anon", "owned");
		this.clock.advance(Duration.ofDays(2));
		assertThat(this.manager.cleanupOlderThan(Duration.ofDays(1))).isEqualTo(2);
		assertThat(this.manager.findSession("anon")).isEmpty();
	}

	@Test
	void largeReadsComeInBoundedRepliesAndStayComplete() {
		// issue 12 E21: one huge reply held the shared connection
		this.manager.createSession(new NewSession("big", "ada", null, Map.of()));
		String large = "\uD83D\uDE00".repeat(49_000);
		List<NewMessage> messages = new java.util.ArrayList<>();
		for (int i = 0; i < 12; i++) {
			messages.add(NewMessage.of(MessageRole.USER, i + large).withId("m-" + i));
		}
		this.manager.appendMessages("big", messages);
		assertThat(large.getBytes(java.nio.charset.StandardCharsets.UTF_8).length * 12L)
			.isGreaterThan(2L * RedisSessionScripts.READ_BUDGET_BYTES);
		assertThat(this.manager.getRecentMessages("big", 12)).extracting(StoredMessage::id)
			.containsExactly("m-0", "m-1", "m-2", "m-3", "m-4", "m-5", "m-6", "m-7", "m-8", "m-9", "m-10", "m-11");
		assertThat(this.manager.getMessages("big", io.github.chatmemory.MessageQuery.after(1, 10)))
			.extracting(StoredMessage::sequence)
			.containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
		assertThat(this.manager.getMessages("big", io.github.chatmemory.MessageQuery.before(12, 9)))
			.extracting(StoredMessage::sequence)
			.containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
		assertThat(this.manager.getAllMessages("big")).hasSize(12);
		assertThat(this.store.readRecent("big", 12).messages()).extracting(StoredMessage::content)
			.allSatisfy((content) -> assertThat(content).endsWith(large));
	}

	@Test
	void messagesStoredWithMediaInTheBodyReadBackWithThem() {
		// before media had a field of their own, a stream entry held them in its body
		this.manager.createSession(new NewSession("old", "ada", null, Map.of()));
		List<MessageMedia> image = List.of(new MessageMedia("image/png", "img-1", "picture", null, new byte[] { 0, 1, (byte) 255 }));
		NewMessage withImage = new NewMessage("m-1", MessageRole.USER, "see", Map.of("k", 1), null, List.of(),
				List.of(), image);
		List<StoredMessage> stored = this.manager.appendMessages("old",
				List.of(withImage, NewMessage.of(MessageRole.ASSISTANT, "nice").withId("m-2")));
		StringRedisTemplate redis = new StringRedisTemplate(TestRedis.sharedConnectionFactory());
		String stream = this.prefix + "{s:old}:msgs";
		List<MapRecord<String, Object, Object>> entries = redis.opsForStream().range(stream, Range.unbounded());
		assertThat(entries.get(0).getValue()).containsKeys("id", "body", "media");
		assertThat(entries.get(1).getValue()).containsOnlyKeys("id", "body");
		StoredMessage first = stored.get(0);
		String oldBody = JsonMapper.builder()
			.build()
			.writeValueAsString(new StoredMessageCodec.Body("USER", "see", Map.of("k", 1), null, null, null,
					first.createdAt().toEpochMilli(), image));
		redis.delete(stream);
		redis.opsForStream().add(StreamRecords.newRecord().in(stream).withId(RecordId.of("1-0")).ofMap(entry("m-1", oldBody)));
		redis.opsForStream()
			.add(StreamRecords.newRecord()
				.in(stream)
				.withId(RecordId.of("2-0"))
				.ofMap(entry("m-2", (String) entries.get(1).getValue().get("body"))));

		assertThat(this.manager.getAllMessages("old")).isEqualTo(stored);
		assertThat(this.manager.getMessages("old", MessageQuery.latest(10).withoutMedia()))
			.isEqualTo(List.of(first.withoutMedia(), stored.get(1)));
		assertThat(this.store.readRecent("old", 10, false).messages()).extracting(StoredMessage::media)
			.containsOnly(List.of());
		// the id hash kept the fingerprint the old entry was written with: a retry is the same message
		assertThat(this.manager.appendMessage("old", withImage)).isEqualTo(first);
		// a replacement that repeats the message keeps the old entry, which still reads back whole
		List<StoredMessage> replaced = this.manager.replaceMessages("old", List.of(withImage));
		assertThat(this.manager.getAllMessages("old")).isEqualTo(replaced)
			.singleElement()
			.satisfies((message) -> assertThat(message.createdAt()).isEqualTo(first.createdAt()))
			.satisfies((message) -> assertThat(message.media()).isEqualTo(image));
	}

	/** The fields of a stream entry, in the order the scripts write them. */
	private static Map<String, String> entry(String id, String body) {
		Map<String, String> fields = new java.util.LinkedHashMap<>();
		fields.put("id", id);
		fields.put("body", body);
		return fields;
	}

}
