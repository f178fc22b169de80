package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of how the auto-configuration starts: the store property bound as an enum,
 * misconfiguration reported by {@link ChatMemoryConfigurationFailureAnalyzer}, several
 * Redis connection factories, and what start-up logs. Connection factories here never
 * connect.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChatMemoryStartupTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class));

	private final ApplicationContextRunner withRedis = this.contextRunner
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));

	@ParameterizedTest
	@ValueSource(strings = { "in-memory", "IN_MEMORY", "In-Memory", "in_memory", "inmemory" })
	void inMemoryMatchesAsAnEnum(String value) {
		this.withRedis.withPropertyValues("chat-memory.store=" + value)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(InMemoryChatMemoryStore.class)
				.doesNotHaveBean(RedisChatMemoryStore.class));
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "REDIS", "Redis" })
	void redisMatchesAsAnEnum(String value) {
		this.withRedis.withPropertyValues("chat-memory.store=" + value)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RedisChatMemoryStore.class)
				.doesNotHaveBean(InMemoryChatMemoryStore.class));
	}

	@Test
	void unknownStoreFailsNamingTheChoices() {
		this.withRedis.withPropertyValues("chat-memory.store=mongo").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.isEqualTo("Invalid value 'mongo' for configuration property 'chat-memory.store': must be one of "
						+ "redis, in-memory, jdbc");
			assertThat(analysis.getAction()).contains("chat-memory.store");
		});
	}

	@Test
	void invalidIdPatternNamesTheProperty() {
		this.contextRunner.withPropertyValues("chat-memory.validation.id-pattern=[").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.startsWith("Invalid value '[' for configuration property 'chat-memory.validation.id-pattern': "
						+ "is not a valid regular expression");
			assertThat(analysis.getAction()).contains("chat-memory.validation.id-pattern");
		});
	}

	@Test
	void redisWithoutConnectionFactoryNamesThePropertyAndTheFix() {
		this.contextRunner.withPropertyValues("chat-memory.store=redis").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo("Invalid value 'redis' for configuration property "
					+ "'chat-memory.store': needs a RedisConnectionFactory bean but there is no "
					+ "RedisConnectionFactory bean");
			assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis", "chat-memory.store=in-memory");
		});
	}

	@Test
	void negativeWindowAndRetentionNameTheirProperties() {
		this.contextRunner.withPropertyValues("chat-memory.window.max-messages=-1")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("'chat-memory.window.max-messages'"));
		this.contextRunner.withPropertyValues("chat-memory.window.max-messages=0")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("'chat-memory.window.max-messages'"));
		this.contextRunner.withPropertyValues("chat-memory.retention.max-age=-1d")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("'chat-memory.retention.max-age'"));
	}

	@Test
	void failureAnalyzerIsRegistered() {
		// Boot's own analyzers that need a bean factory are skipped here; Boot gives them one
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> {
			}))).hasAtLeastOneElementOfType(ChatMemoryConfigurationFailureAnalyzer.class);
	}

	@Test
	void twoConnectionFactoriesOnePrimaryUsesThePrimary() {
		this.contextRunner.withUserConfiguration(TwoConnectionFactories.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(RedisChatMemoryStore.class);
		});
	}

	@Test
	void twoConnectionFactoriesWithoutPrimaryBackOffToMemoryAndSaySo(CapturedOutput output) {
		// as Boot's own Redis-backed auto-configurations do (@ConditionalOnSingleCandidate)
		this.contextRunner.withUserConfiguration(TwoConnectionFactoriesNoPrimary.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(InMemoryChatMemoryStore.class);
			assertThat(output).contains("Chat memory store: in-memory (chat-memory.store is not set and there are 2 "
					+ "RedisConnectionFactory beans [oneRedis, otherRedis] and none is @Primary)");
			// Redis is there but cannot be chosen: a warning, never a quiet fallback (review of issue 13)
			assertThat(output.getOut().lines().filter((line) -> line.contains("Chat memory store: in-memory")))
				.singleElement()
				.satisfies((line) -> assertThat(line).contains("WARN").contains("Mark one RedisConnectionFactory @Primary"));
		});
	}

	@Test
	void twoConnectionFactoriesWithoutPrimaryAndRedisAskedForFailsNamingThem() {
		this.contextRunner.withUserConfiguration(TwoConnectionFactoriesNoPrimary.class)
			.withPropertyValues("chat-memory.store=redis")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.contains("there are 2 RedisConnectionFactory beans", "none is @Primary"));
	}

	@Test
	void startupLogsTheStoreAndWhy(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(output).contains("Chat memory store: in-memory "
				+ "(chat-memory.store is not set and there is no RedisConnectionFactory bean)"));
		this.withRedis.run((context) -> assertThat(output).contains(
				"Chat memory store: redis (chat-memory.store is not set and a RedisConnectionFactory bean exists)"));
		this.withRedis.withPropertyValues("chat-memory.store=in-memory")
			.run((context) -> assertThat(output).contains("Chat memory store: in-memory (chat-memory.store=in-memory)"));
	}

	@Test
	void webEnabledWithoutSpringMvcWarnsNamingTheStarter(CapturedOutput output) {
		this.contextRunner.withPropertyValues("chat-memory.web.enabled=true")
			.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet"))
			.run((context) -> assertThat(output).contains("chat-memory.web.enabled=true but Spring MVC is not on "
					+ "the class path", "add spring-boot-starter-webmvc"));
	}

	@Test
	void webEnabledWithSpringMvcDoesNotWarn(CapturedOutput output) {
		this.contextRunner.withPropertyValues("chat-memory.web.enabled=true")
			.run((context) -> assertThat(output).doesNotContain("spring-boot-starter-webmvc"));
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new ChatMemoryConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoConnectionFactories {

		@Bean
		@Primary
		RedisConnectionFactory primaryRedis() {
			return new LettuceConnectionFactory();
		}

		@Bean
		RedisConnectionFactory otherRedis() {
			return new LettuceConnectionFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoConnectionFactoriesNoPrimary {

		@Bean
		RedisConnectionFactory oneRedis() {
			return new LettuceConnectionFactory();
		}

		@Bean
		RedisConnectionFactory otherRedis() {
			return new LettuceConnectionFactory();
		}

	}

}
