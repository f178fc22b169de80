package io.github.chatmemory.autoconfigure;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.github.chatmemory.actuate.ChatMemoryHealthIndicator;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.jdbc.JdbcChatMemoryStore;
import io.github.chatmemory.store.jdbc.JdbcDialect;
import io.github.chatmemory.store.jdbc.JdbcSchema;
import io.github.chatmemory.store.jdbc.JdbcStoreSettings;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of how {@code chat-memory.store=jdbc} is configured: chosen only when asked for,
 * clear failures without a data source or Spring JDBC, validated properties, and what
 * schema initialization does on in-process databases (H2 in memory and in a file). The
 * PostgreSQL side is {@link ChatMemoryJdbcPostgresAutoConfigurationIT}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChatMemoryJdbcAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class));

	/** An in-memory H2 of the test's own, so no test sees another's tables. */
	private final ApplicationContextRunner withH2 = this.contextRunner.withBean(DataSource.class,
			() -> h2("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));

	private final ApplicationContextRunner jdbc = this.withH2.withPropertyValues("chat-memory.store=jdbc");

	@Test
	void aDataSourceWithoutTheStorePropertyKeepsInMemoryAndCreatesNoTable(CapturedOutput output) {
		this.withH2.run((context) -> {
			assertThat(output).contains("Chat memory store: in-memory (chat-memory.store is not set", "(a DataSource "
					+ "exists: chat-memory.store=jdbc keeps them in its database)");
			assertThat(context).hasNotFailed()
				.hasSingleBean(InMemoryChatMemoryStore.class)
				.doesNotHaveBean(JdbcChatMemoryStore.class)
				.doesNotHaveBean(JdbcSchemaInitializer.class)
				.doesNotHaveBean(JdbcStoreSettings.class);
			assertThat(JdbcTables.withPrefix(context.getBean(DataSource.class), "chat_memory_")).isEmpty();
		});
	}

	@Test
	void aDataSourceWithoutTheStorePropertyKeepsRedis() {
		this.withH2.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RedisChatMemoryStore.class)
				.doesNotHaveBean(JdbcChatMemoryStore.class)
				.doesNotHaveBean(JdbcSchemaInitializer.class));
	}

	@Test
	void storePropertySelectsJdbcOnTheDataSource(CapturedOutput output) {
		this.jdbc.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class)).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(JdbcChatMemoryStore.class)
				.doesNotHaveBean(RedisChatMemoryStore.class)
				.doesNotHaveBean(InMemoryChatMemoryStore.class);
			assertThat(context.getBean(ChatMemoryStore.class).type()).isEqualTo("jdbc");
			assertThat(context.getBean(JdbcStoreSettings.class))
				.isEqualTo(new JdbcStoreSettings("chat_memory_", JdbcDialect.H2, Duration.ofSeconds(5)));
			assertThat(output).containsOnlyOnce("Chat memory store: jdbc (chat-memory.store=jdbc), h2 database, "
					+ "table prefix 'chat_memory_'");
		});
	}

	@Test
	void bootsDataSourceFromSpringDatasourceUrlIsTheStoresDatabase() {
		this.contextRunner
			.withConfiguration(AutoConfigurations
				.of(org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration.class))
			.withPropertyValues("chat-memory.store=jdbc",
					"spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(DataSource.class)
				.hasSingleBean(JdbcChatMemoryStore.class));
	}

	@Test
	void storePropertyMatchesAsAnEnum() {
		this.withH2.withPropertyValues("chat-memory.store=JDBC")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(JdbcChatMemoryStore.class));
	}

	@Test
	void jdbcWithoutADataSourceFailsSayingWhatToAdd() {
		this.contextRunner.withPropertyValues("chat-memory.store=jdbc").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo("Invalid value 'jdbc' for configuration property "
					+ "'chat-memory.store': needs a DataSource bean but there is none");
			assertThat(analysis.getAction()).contains("spring.datasource.url", "spring-boot-starter-jdbc",
					"chat-memory.store=in-memory");
		});
	}

	@Test
	void jdbcWithTwoDataSourcesAndNoPrimaryFailsNamingThem() {
		this.contextRunner.withUserConfiguration(TwoDataSources.class)
			.withPropertyValues("chat-memory.store=jdbc")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.endsWith("needs a DataSource bean but there are 2 DataSource beans [first, second] and none is "
						+ "@Primary"));
	}

	@Test
	void jdbcUsesThePrimaryOfSeveralDataSources() {
		this.contextRunner.withUserConfiguration(TwoDataSources.class, PrimaryDataSource.class)
			.withPropertyValues("chat-memory.store=jdbc")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(JdbcChatMemoryStore.class));
	}

	@Test
	void jdbcWithoutSpringJdbcFailsSayingWhatToAdd() {
		this.jdbc.withClassLoader(new FilteredClassLoader("org.springframework.jdbc")).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo("Invalid value 'jdbc' for configuration property "
					+ "'chat-memory.store': needs Spring JDBC but it is not on the class path");
			assertThat(analysis.getAction()).contains("spring-boot-starter-jdbc");
		});
	}

	@Test
	void withoutSpringJdbcNothingOfTheJdbcStoreLoads() {
		this.withH2.withClassLoader(new FilteredClassLoader("org.springframework.jdbc", "org.springframework.boot.jdbc",
				"org.springframework.boot.sql"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(InMemoryChatMemoryStore.class)
				.doesNotHaveBean(JdbcSchemaInitializer.class));
	}

	@Test
	void anApplicationStoreWinsAndNoTableIsTouched() {
		this.jdbc.withBean("myStore", ChatMemoryStore.class, () -> new InMemoryChatMemoryStore(10, 10, 1_000_000,
				java.time.Clock.systemUTC()))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ChatMemoryStore.class)
				.hasBean("myStore")
				.doesNotHaveBean(JdbcSchemaInitializer.class)
				.doesNotHaveBean(JdbcStoreSettings.class));
	}

	@Test
	void propertiesReachTheSettings() {
		this.jdbc.withPropertyValues("chat-memory.jdbc.table-prefix=cm2_", "chat-memory.jdbc.query-timeout=750ms")
			.run((context) -> assertThat(context.getBean(JdbcStoreSettings.class))
				.isEqualTo(new JdbcStoreSettings("cm2_", JdbcDialect.H2, Duration.ofMillis(750))));
	}

	@Test
	void badTablePrefixFailsNamingTheRule() {
		for (String prefix : new String[] { "chat-memory", "1chat_", "chat memory; drop table x", "",
				"a234567890123456789012345678901" }) {
			this.jdbc.withPropertyValues("chat-memory.jdbc.table-prefix=" + prefix).run((context) -> {
				assertThat(context).as(prefix).hasFailed();
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).as(prefix)
					.contains("'chat-memory.jdbc.table-prefix': must be a letter followed by at most 29 letters, "
							+ "digits or underscores");
				assertThat(analysis.getAction()).contains("chat-memory.jdbc.table-prefix");
			});
		}
	}

	@Test
	void longestValidTablePrefixIsAccepted() {
		this.jdbc.withPropertyValues("chat-memory.jdbc.table-prefix=a23456789012345678901234567890")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void nonPositiveQueryTimeoutFailsNamingTheProperty() {
		for (String timeout : new String[] { "0s", "-1s" }) {
			this.jdbc.withPropertyValues("chat-memory.jdbc.query-timeout=" + timeout)
				.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription()).as(timeout)
					.contains("'chat-memory.jdbc.query-timeout': must be positive"));
		}
	}

	@Test
	void unknownPlatformFailsNamingTheChoices() {
		this.jdbc.withPropertyValues("chat-memory.jdbc.platform=oracle")
			.run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
				.isEqualTo("Invalid value 'oracle' for configuration property 'chat-memory.jdbc.platform': must be "
						+ "one of postgresql, mariadb, mysql, h2, sqlite"));
	}

	@Test
	void platformOverridesDetectionWithoutAskingTheDatabase() {
		ChatMemoryJdbcProperties properties = new ChatMemoryJdbcProperties();
		properties.setPlatform("MariaDB");
		DataSource unreachable = new org.springframework.jdbc.datasource.AbstractDataSource() {

			@Override
			public java.sql.Connection getConnection() throws SQLException {
				throw new SQLException("not to be asked");
			}

			@Override
			public java.sql.Connection getConnection(String username, String password) throws SQLException {
				throw new SQLException("not to be asked");
			}

		};
		assertThat(properties.toSettings(unreachable).dialect()).isEqualTo(JdbcDialect.MARIADB);
	}

	@Test
	void embeddedModeCreatesTheTablesOfAnInMemoryH2() {
		this.jdbc.run((context) -> assertThat(context.getBean(JdbcSchemaInitializer.class).getAction())
			.isEqualTo(JdbcSchemaInitializer.Action.CREATE));
	}

	@Test
	void embeddedModeCreatesTheTablesOfAnH2File(@TempDir Path directory) {
		this.contextRunner.withBean(DataSource.class, () -> h2("jdbc:h2:file:" + directory.resolve("chat")))
			.withPropertyValues("chat-memory.store=jdbc")
			.run((context) -> assertThat(context.getBean(JdbcSchemaInitializer.class).getAction())
				.isEqualTo(JdbcSchemaInitializer.Action.CREATE));
	}

	@Test
	void alwaysModeCreates() {
		this.jdbc.withPropertyValues("chat-memory.jdbc.initialize-schema=always")
			.run((context) -> assertThat(context.getBean(JdbcSchemaInitializer.class).getAction())
				.isEqualTo(JdbcSchemaInitializer.Action.CREATE));
	}

	@Test
	void neverModeOnlyChecksEvenAnEmbeddedDatabase() {
		this.jdbc.withUserConfiguration(ApplicationScripts.class)
			.withPropertyValues("chat-memory.jdbc.initialize-schema=never")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(JdbcSchemaInitializer.class).getAction())
					.isEqualTo(JdbcSchemaInitializer.Action.CHECK);
				assertThat(context.getBean(ApplicationScripts.class).ran()).isTrue();
			});
	}

	@Test
	void schemaInitializationWaitsForTheApplicationsDatabaseInitializers() {
		this.jdbc.withUserConfiguration(ApplicationScripts.class).run((context) -> {
			ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
			assertThat(beanFactory.getBeanDefinition("chatMemoryJdbcSchemaInitializer").getDependsOn())
				.contains("applicationScripts");
		});
	}

	@Test
	void retentionLockIsTheDatabasesWhenRetentionIsOn() {
		this.jdbc.run((context) -> assertThat(context).doesNotHaveBean(ScheduledRetention.Lock.class));
		this.jdbc.withPropertyValues("chat-memory.retention.max-age=30d")
			.run((context) -> assertThat(context).hasSingleBean(ScheduledRetention.Lock.class)
				.hasBean("chatMemoryRetentionLock"));
	}

	@Test
	void anApplicationsOwnJdbcStoreWithRetentionOnStartsWithoutTheStoresSettings() {
		// the settings bean backs off for the application's store; the lock must not need it
		this.jdbc.withPropertyValues("chat-memory.retention.max-age=30d")
			.withBean("myStore", JdbcChatMemoryStore.class, () -> {
				DataSource dataSource = h2("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
				JdbcStoreSettings settings = new JdbcStoreSettings("own_", JdbcDialect.H2, Duration.ofSeconds(5), 0);
				new JdbcSchema(dataSource, settings).create();
				return new JdbcChatMemoryStore(dataSource, settings, java.time.Clock.systemUTC());
			})
			.run((context) -> assertThat(context).hasNotFailed()
				.hasBean("myStore")
				.doesNotHaveBean(JdbcStoreSettings.class)
				.doesNotHaveBean(ScheduledRetention.Lock.class)
				.hasSingleBean(ScheduledRetention.class));
	}

	@Test
	void healthReportsTheJdbcStoreAndItsDatabase() {
		this.jdbc.withConfiguration(AutoConfigurations.of(ChatMemoryHealthAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(ChatMemoryHealthIndicator.class).health(true).getDetails())
				.containsEntry("store", "jdbc")
				.containsEntry("database", "h2"));
	}

	@Test
	void endpointShowsTheSettingsTheStoreRunsWith() {
		this.jdbc.withConfiguration(AutoConfigurations.of(ChatMemoryEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=chatmemory",
					"chat-memory.jdbc.query-timeout=2s")
			.run((context) -> assertThat(ChatMemoryEndpointAutoConfiguration.effectiveConfiguration(
					context.getBean(io.github.chatmemory.ChatMemoryManager.class),
					context.getBean(ChatMemoryProperties.class), new ChatMemoryRedisProperties(),
					new ChatMemoryInMemoryProperties(), new ChatMemoryWebProperties(),
					context.getBean(JdbcStoreSettings.class)))
				.containsEntry("store", "jdbc")
				.containsEntry("jdbc.table-prefix", "chat_memory_")
				.containsEntry("jdbc.platform", "h2")
				.containsEntry("jdbc.query-timeout", "PT2S")
				.doesNotContainKey("in-memory.max-sessions"));
	}

	// The tests below need the JDBC store itself (the jdbc-store branch), not only its
	// configuration.

	@Test
	void embeddedModeReallyCreatesTheTablesAtTheSchemaVersion() {
		this.jdbc.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(JdbcTables.withPrefix(dataSource, "chat_memory_")).isNotEmpty();
			assertThat(new JdbcSchema(dataSource, context.getBean(JdbcStoreSettings.class)).installedVersion())
				.hasValue(JdbcSchema.VERSION);
		});
	}

	@Test
	void neverModeWithoutTablesFailsNamingTheScript() {
		// the data source made here, since a context that failed to start hands out no beans
		JdbcDataSource dataSource = h2("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		this.contextRunner.withBean(DataSource.class, () -> dataSource)
			.withPropertyValues("chat-memory.store=jdbc", "chat-memory.jdbc.initialize-schema=never")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.startsWith("Invalid value 'never' for configuration property 'chat-memory.jdbc.initialize-schema'");
				assertThat(analysis.getAction()).contains("classpath:io/github/chatmemory/store/jdbc/schema-h2.sql",
						"${table_prefix}", "'chat_memory_'", "chat-memory.jdbc.initialize-schema=always");
				assertThat(JdbcTables.withPrefix(dataSource, "chat_memory_")).isEmpty();
			});
	}

	@Test
	void retentionLockRunsTheTask() {
		this.jdbc.withPropertyValues("chat-memory.retention.max-age=30d").run((context) -> {
			AtomicBoolean ran = new AtomicBoolean();
			assertThat(context.getBean(ScheduledRetention.Lock.class).runExclusively(() -> ran.set(true))).isTrue();
			assertThat(ran).isTrue();
		});
	}

	@Test
	void endpointReadsTheJdbcSettings() {
		this.jdbc.withConfiguration(AutoConfigurations.of(ChatMemoryEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=chatmemory")
			.run((context) -> assertThat(
					context.getBean(io.github.chatmemory.actuate.ChatMemoryEndpoint.class).chatMemory().configuration())
				.containsEntry("store", "jdbc")
				.containsEntry("jdbc.platform", "h2"));
	}

	@Test
	void healthIsUpOnAWorkingDatabase() {
		this.jdbc.withConfiguration(AutoConfigurations.of(ChatMemoryHealthAutoConfiguration.class))
			.run((context) -> {
				Health health = context.getBean(ChatMemoryHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
			});
	}

	private static JdbcDataSource h2(String url) {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL(url);
		return dataSource;
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).as("a startup failure").isNotNull();
		FailureAnalysis analysis = new ChatMemoryConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDataSources {

		@Bean
		DataSource first() {
			return h2("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		}

		@Bean
		DataSource second() {
			return h2("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrimaryDataSource {

		@Bean
		@Primary
		DataSource third() {
			return h2("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		}

	}

	/**
	 * An application's own database initializer, as Boot's SQL scripts, Flyway or
	 * Liquibase are: here it creates the chat memory tables with the store's script.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ApplicationScripts {

		private final AtomicBoolean ran = new AtomicBoolean();

		@Bean
		DataSourceScriptDatabaseInitializer applicationScripts(DataSource dataSource) {
			return new DataSourceScriptDatabaseInitializer(dataSource, new DatabaseInitializationSettings()) {

				@Override
				public boolean initializeDatabase() {
					new JdbcSchema(dataSource, new JdbcStoreSettings("chat_memory_", JdbcDialect.H2,
							Duration.ofSeconds(5))).create();
					ApplicationScripts.this.ran.set(true);
					return true;
				}

			};
		}

		boolean ran() {
			return this.ran.get();
		}

	}

}
