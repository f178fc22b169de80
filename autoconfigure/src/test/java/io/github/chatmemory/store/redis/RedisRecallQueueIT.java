package io.github.chatmemory.store.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.chatmemory.ChatSession;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.AbstractRecallQueueContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.RecallTask;
import io.github.chatmemory.test.RedisServerProcess;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The recall queue contract on {@link RedisChatMemoryStore} against a real Redis, plus
 * what only Redis does: the task hash in the session's slot that outlives the session, the
 * queue sorted set written after the script, and the repair of a crash in between.
 */
class RedisRecallQueueIT extends AbstractRecallQueueContractTests {

	protected String prefix;

	protected RedisConnectionFactory connectionFactory() {
		return TestRedis.sharedConnectionFactory();
	}

	@Override
	protected ChatMemoryStore createStore() {
		this.prefix = "test:" + UUID.randomUUID() + ":";
		return storeOnPrefix(null);
	}

	private RedisChatMemoryStore storeOnPrefix(Duration timeToLive) {
		return new RedisChatMemoryStore(connectionFactory(), new RedisStoreSettings(this.prefix, timeToLive, 0),
				this.clock);
	}

	private StringRedisTemplate redis() {
		return new StringRedisTemplate(connectionFactory());
	}

	private String task(String sessionId) {
		return this.prefix + "{s:" + sessionId + "}:rq";
	}

	private String queue() {
		return this.prefix + "recall:queue";
	}

	@Test
	void aTaskListedByNoQueueEntryAfterACrashIsListedAgainByTheNextIndexerAndByTheIndexRepair() {
		this.store.createSession("crash", "ada", "", Map.of());
		List<StoredMessage> stored = this.store.append("crash", List.of(message("m-1", "one")), false, null);
		// the script wrote the task, then the instance died before its ZADD reached Redis
		assertThat(redis().hasKey(task("crash"))).isTrue();
		redis().opsForZSet().remove(queue(), "crash");
		assertThat(this.store.findRecallTasks(10)).isEmpty();
		// a new instance starts with recall on, and its indexer's first pass repairs the queue
		ChatMemoryStore restarted = storeOnPrefix(null);
		restarted.enableRecallTasks();
		assertThat(restarted.findRecallTasks(10)).as("enabling scans nothing on the startup path").isEmpty();
		assertThat(restarted.repairRecallTasks()).isPositive();
		assertThat(restarted.findRecallTasks(10)).singleElement().satisfies((task) -> {
			assertThat(task.sessionId()).isEqualTo("crash");
			assertThat(task.fromSequence()).isEqualTo(stored.get(0).sequence());
		});
		// the same gap again, closed this time by the repair that each retention run does first
		redis().opsForZSet().remove(queue(), "crash");
		this.clock.advance(Duration.ofMinutes(2));
		this.store.repairIndexes();
		assertThat(this.store.findRecallTasks(10)).extracting(RecallTask::sessionId).containsExactly("crash");
	}

	/**
	 * An indexer removes tasks while writers queue them again: a task queued between the
	 * removal of the hash and of its queue entry must keep its entry, without a repair.
	 */
	@Test
	void aTaskQueuedAgainWhileItsEntryIsRemovedKeepsItsEntry() throws Exception {
		List<String> sessions = List.of("race-0", "race-1");
		sessions.forEach((id) -> this.store.createSession(id, "ada", "", Map.of()));
		AtomicBoolean writing = new AtomicBoolean(true);
		ExecutorService executor = Executors.newFixedThreadPool(3);
		try {
			List<Future<?>> writers = new ArrayList<>();
			for (int w = 0; w < 2; w++) {
				int writer = w;
				writers.add(executor.submit(() -> {
					for (int i = 0; i < 1500; i++) {
						this.store.append(sessions.get(i % 2), List.of(message("w" + writer + "-" + i, "m")), false,
								null);
					}
					return null;
				}));
			}
			Future<?> indexer = executor.submit(() -> {
				while (writing.get()) {
					for (RecallTask task : this.store.findRecallTasks(10)) {
						this.store.completeRecallTask(task, Long.MAX_VALUE / 2, true);
					}
				}
				return null;
			});
			for (Future<?> writer : writers) {
				writer.get(120, TimeUnit.SECONDS);
			}
			writing.set(false);
			indexer.get(60, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
		for (String id : sessions) {
			if (Boolean.TRUE.equals(redis().hasKey(task(id)))) {
				assertThat(redis().opsForZSet().score(queue(), id)).as(id).isNotNull();
			}
		}
	}

	@Test
	void anAppendStaysOneScriptWithItsQueueEntrySentAfterIt() {
		// a private server, so that its command counts are this test's alone
		RedisServerProcess server = RedisServerProcess.start();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", server.port()));
		try {
			factory.afterPropertiesSet();
			factory.start();
			ChatMemoryStore counted = new RedisChatMemoryStore(factory, new RedisStoreSettings("t:", null, 0),
					this.clock);
			counted.enableRecallTasks();
			counted.createSession("s-1", "ada", "", Map.of());
			// the first append loads the script and tells the activity indexes: not counted
			counted.append("s-1", List.of(message("m-1", "one")), false, null);
			Map<String, Long> before = commandCalls(server);
			counted.append("s-1", List.of(message("m-2", "two")), false, null);
			counted.append("s-1", List.of(message("m-3", "three")), false, null);
			// each queue entry is sent without waiting for its reply
			await().atMost(Duration.ofSeconds(5)).until(() -> delta(before, commandCalls(server), "zadd") == 2);
			Map<String, Long> after = commandCalls(server);
			assertThat(delta(before, after, "evalsha") + delta(before, after, "eval")).isEqualTo(2);
			assertThat(counted.findRecallTasks(10)).singleElement()
				.satisfies((task) -> assertThat(task.fromSequence()).isEqualTo(1));
		}
		finally {
			factory.destroy();
			server.stop();
		}
	}

	@Test
	void aQueueEntryLostAfterAWriteIsSentAgainByTheSessionsNextWrite() {
		this.store.createSession("lost", "ada", "", Map.of());
		this.store.append("lost", List.of(message("m-1", "one")), false, null);
		double queued = redis().opsForZSet().score(queue(), "lost");
		// the reply of the script was lost, and with it the ZADD that follows it
		redis().opsForZSet().remove(queue(), "lost");
		this.store.append("lost", List.of(message("m-2", "two")), false, null);
		await().atMost(Duration.ofSeconds(5)).until(() -> redis().opsForZSet().score(queue(), "lost") != null);
		assertThat(redis().opsForZSet().score(queue(), "lost")).as("the task keeps its place").isEqualTo(queued);
	}

	private static long delta(Map<String, Long> before, Map<String, Long> after, String command) {
		return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
	}

	private static Map<String, Long> commandCalls(RedisServerProcess server) {
		Map<String, Long> calls = new java.util.HashMap<>();
		for (String line : server.cli("INFO", "commandstats").split("\\R")) {
			if (line.startsWith("cmdstat_")) {
				calls.put(line.substring("cmdstat_".length(), line.indexOf(':')),
						Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1")));
			}
		}
		return calls;
	}

	@Test
	void recallTasksAreEnabledEvenWhenRedisIsDownAtStartup() throws Exception {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		LettuceConnectionFactory down = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		try {
			down.afterPropertiesSet();
			down.start();
			ChatMemoryStore store = new RedisChatMemoryStore(down, new RedisStoreSettings("t:", null, 0), this.clock);
			store.enableRecallTasks();
			assertThat(store.isRecallTasksEnabled()).isTrue();
		}
		finally {
			down.destroy();
		}
	}

	@Test
	void theTaskOfADeletedSessionOutlivesItAsARebuild() {
		this.store.createSession("gone", "ada", "", Map.of());
		this.store.append("gone", List.of(message("m-1", "one")), false, null);
		drain();
		assertThat(redis().hasKey(task("gone"))).isFalse();
		this.store.deleteSession("gone", null);
		assertThat(redis().hasKey(this.prefix + "{s:gone}:meta")).isFalse();
		assertThat(redis().opsForHash().get(task("gone"), "rebuild")).isEqualTo("1");
		assertThat(this.store.findRecallTasks(10)).singleElement()
			.satisfies((task) -> assertThat(task.rebuild()).isTrue());
		// a session created again under the id keeps the rebuild, so the old vectors go
		this.store.createSession("gone", "ada", "", Map.of());
		this.store.append("gone", List.of(message("m-2", "two")), false, null);
		assertThat(this.store.findRecallTasks(10)).singleElement()
			.satisfies((task) -> assertThat(task.rebuild()).isTrue());
	}

	@Test
	void withATimeToLiveTheTaskNeverExpiresWithTheSessionAndAnExpiredSessionIsRebuiltWhenAListingOrRetentionMeetsIt() {
		ChatMemoryStore expiring = storeOnPrefix(Duration.ofMillis(500));
		expiring.enableRecallTasks();
		expiring.createSession("ttl", "ada", "", Map.of());
		expiring.append("ttl", List.of(message("m-1", "one")), false, null);
		assertThat(redis().getExpire(this.prefix + "{s:ttl}:msgs")).isNotNegative();
		assertThat(redis().getExpire(task("ttl"))).as("no time-to-live").isEqualTo(-1L);
		await().atMost(Duration.ofSeconds(5)).until(() -> expiring.findSession("ttl").isEmpty());
		assertThat(expiring.findRecallTasks(10)).extracting(RecallTask::sessionId).containsExactly("ttl");
		// indexed before it expired: nothing left in the queue
		drain();
		// a listing trims the expired session's index entries: its vectors must go
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(expiring.findSessionIdsInactiveSince(this.clock.instant(), 10)).isEmpty();
		assertThat(expiring.findRecallTasks(10)).singleElement().satisfies((task) -> {
			assertThat(task.sessionId()).isEqualTo("ttl");
			assertThat(task.rebuild()).isTrue();
		});
		drain();
		// and so does a retention delete that finds it gone
		assertThat(expiring.deleteSessionIfInactiveSince("ttl", this.clock.instant().plus(Duration.ofDays(1))))
			.isFalse();
		assertThat(expiring.findRecallTasks(10)).singleElement().satisfies((task) -> {
			assertThat(task.sessionId()).isEqualTo("ttl");
			assertThat(task.rebuild()).isTrue();
		});
	}

	@Test
	void withRecallTasksOffNoWriteLeavesATaskKeyOrAQueue() {
		ChatMemoryStore off = storeOnPrefix(null);
		off.createSession("off", "ada", "", Map.of());
		off.append("off", List.of(message("m-1", "one")), false, null);
		off.replaceMessages("off", List.of(message("m-2", "two")));
		off.clearMessages("off", null);
		ChatSession session = off.findSession("off").orElseThrow();
		off.importSession(session, List.of(), List.of(), true, null, null);
		off.deleteSession("off", null);
		off.deleteSession("never-existed", null);
		assertThat(redis().hasKey(task("off"))).isFalse();
		assertThat(redis().hasKey(task("never-existed"))).isFalse();
		assertThat(redis().hasKey(queue())).isFalse();
	}

	@Test
	void stampsNeverRepeatForASessionAcrossRemovalsDeletesAndNewSessionsUnderItsId() {
		Set<Long> stamps = new HashSet<>();
		for (int round = 0; round < 5; round++) {
			this.store.createSession("again", "ada", "", Map.of());
			this.store.append("again", List.of(message("m-" + round, "one")), false, null);
			RecallTask appended = this.store.findRecallTasks(10).get(0);
			assertThat(stamps.add(appended.stamp())).isTrue();
			assertThat(this.store.completeRecallTask(appended, appended.fromSequence(), true)).isTrue();
			this.store.deleteSession("again", null);
			RecallTask deleted = this.store.findRecallTasks(10).get(0);
			assertThat(stamps.add(deleted.stamp())).isTrue();
			assertThat(this.store.completeRecallTask(deleted, 0, true)).isTrue();
			// a retried completion of an earlier round never removes this round's task
			this.store.queueRecallRebuild("again");
			RecallTask queued = this.store.findRecallTasks(10).get(0);
			assertThat(stamps.add(queued.stamp())).isTrue();
			this.store.completeRecallTask(appended, appended.fromSequence(), true);
			this.store.completeRecallTask(deleted, 0, true);
			assertThat(this.store.findRecallTasks(10)).containsExactly(queued);
			this.store.completeRecallTask(queued, 0, true);
		}
		assertThat(this.store.countRecallTasks()).isZero();
		assertThat(redis().hasKey(queue())).isFalse();
	}

}
