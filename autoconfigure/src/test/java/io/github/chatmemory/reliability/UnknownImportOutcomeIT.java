package io.github.chatmemory.reliability;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.SessionSnapshot;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import io.github.chatmemory.test.RedisServerProcess;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.util.HashedWheelTimer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import static io.github.chatmemory.reliability.UnavailableChecks.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An import or a fork whose script times out on the client but completes in a real
 * {@code redis-server} is answered as unavailable, yet leaves no session that nothing
 * lists: every session found by walking the keys is in its user's index and in the index
 * of all sessions, and a fork stays in the branches of its source.
 */
class UnknownImportOutcomeIT {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

	/** 10,000 messages of about 600 bytes: a script Redis needs well over 5 ms to parse and run. */
	private static final int MESSAGES = 10_000;

	private static final String PADDING = "x".repeat(560);

	private static final RedisServerProcess redis = RedisServerProcess.start();

	/** Lettuce's default timer ticks every 100 ms: too coarse to time a command out after 5 ms. */
	private static final ClientResources fineTimer = DefaultClientResources.builder()
		.timer(new HashedWheelTimer(1, TimeUnit.MILLISECONDS))
		.build();

	private static final LettuceConnectionFactory patient = connectionFactory(TimeoutOptions.enabled(), null);

	/**
	 * Times scripts out after 5 ms, as a client whose command timeout is shorter than a
	 * large import would, while Redis goes on to run them; other commands wait as usual.
	 */
	private static final LettuceConnectionFactory hasty = connectionFactory(TimeoutOptions.builder()
		.timeoutCommands()
		.timeoutSource(new TimeoutOptions.TimeoutSource() {
			@Override
			public long getTimeout(RedisCommand<?, ?, ?> command) {
				return command.getType().name().startsWith("EVAL") ? 5 : COMMAND_TIMEOUT.toMillis();
			}
		})
		.build(), fineTimer);

	/** A prefix of each test's own, so that walking the keys meets its sessions only. */
	private final String prefix = "unknown-outcome-" + UUID.randomUUID() + ":";

	private final StringRedisTemplate template = new StringRedisTemplate(patient);

	private final ChatMemoryStore reliableStore = store(patient);

	private final ChatMemoryManager reliable = ChatMemoryManager.builder(this.reliableStore).build();

	/** Everything through the patient connection, only the import through the hasty one. */
	private final ChatMemoryManager timingOut = ChatMemoryManager.builder(importsThrough(store(hasty))).build();

	@AfterAll
	static void stop() {
		hasty.destroy();
		patient.destroy();
		fineTimer.shutdown();
		redis.stop();
	}

	@Test
	void forkWhoseImportTimesOutStaysListedAndInItsSourceBranches() {
		this.reliable.importSession(snapshot("source"), false);
		String last = "m" + MESSAGES;
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> this.timingOut.forkSession("source", last, "fork", "ada"));
		String forkId = awaitSecondSession("source");
		assertThat(this.template.opsForZSet().score(this.prefix + "{s:source}:branches", forkId))
			.as("the fork stays in its source's branches")
			.isNotNull();
		assertEverySessionListed();
		assertThat(this.reliable.listBranches("source", 0, 10, "ada").items()).extracting(ChatSession::id).containsExactly(forkId);
	}

	@Test
	void importWhoseScriptTimesOutIsListed() {
		// an earlier import loads the script, so the timed-out call is the script running
		// (a first EVALSHA times out on NOSCRIPT, before anything is written)
		this.reliable.importSession(snapshot("earlier"), false);
		assertThatExceptionOfType(ChatMemoryUnavailableException.class)
			.isThrownBy(() -> this.timingOut.importSession(snapshot("imported"), false));
		awaitWritten("imported");
		assertEverySessionListed();
	}

	private String awaitSecondSession(String known) {
		await("the fork's script completed in Redis", () -> metaKeys().size() == 2);
		String forkId = metaKeys().stream()
			.map(UnknownImportOutcomeIT::sessionId)
			.filter((id) -> !id.equals(known))
			.findFirst()
			.orElseThrow();
		awaitWritten(forkId);
		return forkId;
	}

	private void awaitWritten(String sessionId) {
		await("the script of '" + sessionId + "' completed in Redis", () -> String.valueOf(MESSAGES)
			.equals(this.template.opsForHash().get(this.prefix + "{s:" + sessionId + "}:meta", "count")));
	}

	/** Walk the keys as an operator would and check each session is in both indexes. */
	private void assertEverySessionListed() {
		List<String> metas = metaKeys();
		assertThat(metas).isNotEmpty();
		for (String meta : metas) {
			String id = sessionId(meta);
			String userId = (String) this.template.opsForHash().get(meta, "userId");
			assertThat(this.template.opsForZSet().score(this.prefix + "{u:" + userId + "}:sessions", id))
				.as("session '%s' in the index of user '%s'", id, userId)
				.isNotNull();
			assertThat(this.template.opsForZSet().score(this.prefix + "sessions", id))
				.as("session '%s' in the index of all sessions", id)
				.isNotNull();
		}
		assertThat(this.reliable.listSessions("ada", 0, 10).totalItems()).isEqualTo(metas.size());
	}

	private List<String> metaKeys() {
		List<String> keys = new ArrayList<>();
		try (Cursor<String> cursor = this.template.scan(ScanOptions.scanOptions().match(this.prefix + "*:meta").build())) {
			cursor.forEachRemaining(keys::add);
		}
		return keys;
	}

	private static String sessionId(String metaKey) {
		return metaKey.substring(metaKey.indexOf("{s:") + 3, metaKey.indexOf("}:meta"));
	}

	private static SessionSnapshot snapshot(String sessionId) {
		Instant at = Instant.now().minusSeconds(60);
		List<StoredMessage> messages = new ArrayList<>(MESSAGES);
		for (int i = 1; i <= MESSAGES; i++) {
			messages.add(new StoredMessage("m" + i, sessionId, i, (i % 2 == 1) ? MessageRole.USER : MessageRole.ASSISTANT,
					"message number " + i + " of a long conversation " + PADDING, Map.of(), null, List.of(), List.of(), at,
					List.of()));
		}
		return new SessionSnapshot(new ChatSession(sessionId, "ada", "long", Map.of(), true, at, at, MESSAGES),
				messages);
	}

	private ChatMemoryStore importsThrough(ChatMemoryStore importer) {
		return (ChatMemoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ChatMemoryStore.class }, (proxy, method, arguments) -> {
					ChatMemoryStore target = method.getName().equals("importSession") ? importer : this.reliableStore;
					try {
						return method.invoke(target, arguments);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	private ChatMemoryStore store(LettuceConnectionFactory connectionFactory) {
		return new RedisChatMemoryStore(connectionFactory, RedisStoreSettings.withPrefix(this.prefix), Clock.systemUTC());
	}

	private static LettuceConnectionFactory connectionFactory(TimeoutOptions timeouts,
			@Nullable ClientResources resources) {
		LettuceClientConfiguration.LettuceClientConfigurationBuilder configuration = LettuceClientConfiguration
			.builder()
			.commandTimeout(COMMAND_TIMEOUT)
			.clientOptions(ClientOptions.builder().timeoutOptions(timeouts).build());
		if (resources != null) {
			configuration.clientResources(resources);
		}
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redis.port()), configuration.build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
