package io.github.chatmemory.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.springai.StoreBackedChatMemoryRepository;
import io.github.chatmemory.store.jdbc.JdbcChatMemoryStore;
import io.github.chatmemory.store.jdbc.JdbcDialect;
import io.github.chatmemory.store.jdbc.JdbcSchema;
import io.github.chatmemory.store.jdbc.JdbcStoreSettings;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;

import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.ai.chat.memory.repository.jdbc.PostgresChatMemoryRepositoryDialect;
import org.springframework.ai.tokenizer.JTokkitTokenCountEstimator;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The systems compared, by name, on the benchmark Redis given by the system properties
 * {@code bench.redis.host} and {@code bench.redis.port}, and on the benchmark PostgreSQL
 * ({@link BenchmarkPostgres}), each JDBC system in a schema of its own.
 */
final class Systems {

	static final String THIS_IN_MEMORY = "this-in-memory";

	static final String THIS_REDIS = "this-redis";

	static final String SPRING_AI_IN_MEMORY = "spring-ai-in-memory";

	static final String SPRING_AI_REDIS = "spring-ai-redis";

	static final String FLOOR = "floor-lettuce";

	static final String THIS_JDBC = "this-jdbc";

	static final String SPRING_AI_JDBC = "spring-ai-jdbc";

	static final List<String> ALL = List.of(THIS_IN_MEMORY, THIS_REDIS, SPRING_AI_IN_MEMORY, SPRING_AI_REDIS, FLOOR);

	/** The systems on the benchmark PostgreSQL, reported on their own. */
	static final List<String> JDBC = List.of(THIS_JDBC, SPRING_AI_JDBC);

	private static final String SPRING_AI_POSTGRES_SCHEMA = "org/springframework/ai/chat/memory/repository/jdbc/"
			+ "schema-postgresql.sql";

	/** Large enough for any history here, so nothing is trimmed when no bound is asked for. */
	private static final int UNBOUNDED = 10_000_000;

	/** Spring AI rewrites the whole conversation on each add, so whole conversations must pass validation. */
	private static final ValidationRules LARGE_CONVERSATIONS = new ValidationRules(
			Pattern.compile(ValidationRules.DEFAULT_ID_PATTERN), 100_000, 16 * 1024, 200, 1000, 1000, UNBOUNDED);

	private Systems() {
	}

	/**
	 * Create a system.
	 * @param system the name
	 * @param maxHistory the history each system keeps (older messages trimmed), or 0 to
	 * keep everything
	 * @return the system
	 */
	static MemoryUnderTest create(String system, int maxHistory) {
		return create(system, maxHistory, false);
	}

	/**
	 * Create this project's memory on one of its stores.
	 * @param system {@link #THIS_IN_MEMORY} or {@link #THIS_REDIS}
	 * @param maxHistory the history kept (older messages trimmed)
	 * @param summaries whether windows hold the session's latest summary
	 * @return the memory
	 */
	static ThisProjectMemory thisProject(String system, int maxHistory, boolean summaries) {
		return (ThisProjectMemory) create(system, maxHistory, summaries);
	}

	private static MemoryUnderTest create(String system, int maxHistory, boolean summaries) {
		int bound = (maxHistory > 0) ? maxHistory : UNBOUNDED;
		String prefix = "bench:" + UUID.randomUUID() + ":";
		return switch (system) {
			case THIS_IN_MEMORY -> new ThisProjectMemory(new InMemoryChatMemoryStore(100, bound, Clock.systemUTC()),
					summaries, () -> {
					});
			case THIS_REDIS -> {
				LettuceConnectionFactory factory = connectionFactory();
				yield new ThisProjectMemory(new RedisChatMemoryStore(factory,
						new RedisStoreSettings(prefix, null, (maxHistory > 0) ? maxHistory : 0), Clock.systemUTC()),
						summaries, factory::destroy);
			}
			case SPRING_AI_IN_MEMORY -> new SpringAiMemory(new InMemoryChatMemoryRepository(), bound, () -> {
			});
			case SPRING_AI_REDIS -> {
				LettuceConnectionFactory factory = connectionFactory();
				ChatMemoryManager manager = ChatMemoryManager
					.builder(new RedisChatMemoryStore(factory, RedisStoreSettings.withPrefix(prefix), Clock.systemUTC()))
					.validationRules(LARGE_CONVERSATIONS)
					.build();
				yield new SpringAiMemory(new StoreBackedChatMemoryRepository(manager), bound, factory::destroy);
			}
			case THIS_JDBC -> thisJdbc(maxHistory, summaries);
			case SPRING_AI_JDBC -> springAiJdbc(bound);
			case FLOOR -> {
				LettuceFloor floor = new LettuceFloor(host(), port(), prefix);
				floor.bound(maxHistory, tokenWindowMessages());
				yield floor;
			}
			default -> throw new IllegalArgumentException("Unknown system " + system);
		};
	}

	private static MemoryUnderTest thisJdbc(int maxHistory, boolean summaries) {
		BenchmarkPostgres postgres = BenchmarkPostgres.create();
		try {
			DataSource dataSource = postgres.dataSource();
			JdbcStoreSettings settings = new JdbcStoreSettings(JdbcStoreSettings.DEFAULT_TABLE_PREFIX,
					JdbcDialect.detect(dataSource), Duration.ofSeconds(30), maxHistory);
			new JdbcSchema(dataSource, settings).create();
			return new ThisProjectMemory(new JdbcChatMemoryStore(dataSource, settings, Clock.systemUTC()), summaries,
					postgres::close);
		}
		catch (RuntimeException ex) {
			postgres.close();
			throw ex;
		}
	}

	private static MemoryUnderTest springAiJdbc(int bound) {
		BenchmarkPostgres postgres = BenchmarkPostgres.create();
		try {
			// Spring AI's own script: its table name is fixed, so the private schema holds it
			new ResourceDatabasePopulator(new ClassPathResource(SPRING_AI_POSTGRES_SCHEMA))
				.execute(postgres.dataSource());
			return new SpringAiMemory(JdbcChatMemoryRepository.builder()
				.dataSource(postgres.dataSource())
				.dialect(new PostgresChatMemoryRepositoryDialect())
				.build(), bound, postgres::close);
		}
		catch (RuntimeException ex) {
			postgres.close();
			throw ex;
		}
	}

	/** How many benchmark messages fit the token window, for the floor's read. */
	private static int tokenWindowMessages() {
		int perMessage = new JTokkitTokenCountEstimator().estimate(Texts.message(12345)) + 4;
		return Texts.WINDOW_TOKENS / perMessage;
	}

	private static LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(host(), port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	static String host() {
		return System.getProperty("bench.redis.host", "127.0.0.1");
	}

	static int port() {
		return Integer.getInteger("bench.redis.port", 6379);
	}

}
