package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.actuate.ChatMemoryEndpoint;
import io.github.chatmemory.actuate.ChatMemoryHealthIndicator;
import io.github.chatmemory.actuate.ObservedChatMemoryStore;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the health, endpoint and observation auto-configuration: present, absent
 * without actuator, and switched off.
 */
class ChatMemoryObservabilityAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class,
				ChatMemoryHealthAutoConfiguration.class, ChatMemoryEndpointAutoConfiguration.class));

	@Test
	void healthIndicatorIsPresentByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(ChatMemoryHealthIndicator.class)
			.hasBean("chatMemoryHealthIndicator"));
	}

	@Test
	void healthTimeoutIsAManagementHealthSetting() {
		this.contextRunner.withBean("chatMemoryStore", ChatMemoryStore.class, ChatMemoryObservabilityAutoConfigurationTests::unansweringStore)
			.withPropertyValues("management.health.chatmemory.timeout=50ms")
			.run((context) -> assertThat(context.getBean(ChatMemoryHealthIndicator.class).health(true).getDetails())
				.containsEntry("error", "The store did not answer within PT0.05S"));
	}

	@Test
	void deprecatedHealthTimeoutStillWorksAndTheNewOneWins() {
		this.contextRunner.withBean("chatMemoryStore", ChatMemoryStore.class, ChatMemoryObservabilityAutoConfigurationTests::unansweringStore)
			.withPropertyValues("chat-memory.health.timeout=60ms")
			.run((context) -> assertThat(context.getBean(ChatMemoryHealthIndicator.class).health(true).getDetails())
				.containsEntry("error", "The store did not answer within PT0.06S"));
		this.contextRunner.withBean("chatMemoryStore", ChatMemoryStore.class, ChatMemoryObservabilityAutoConfigurationTests::unansweringStore)
			.withPropertyValues("chat-memory.health.timeout=60ms", "management.health.chatmemory.timeout=50ms")
			.run((context) -> assertThat(context.getBean(ChatMemoryHealthIndicator.class).health(true).getDetails())
				.containsEntry("error", "The store did not answer within PT0.05S"));
	}

	@Test
	void healthTimeoutMetadataPointsFromTheOldPropertyToTheNewOne() throws Exception {
		String metadata = new String(getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")
			.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(metadata).contains("\"name\": \"management.health.chatmemory.timeout\"")
			.containsPattern("(?s)\"name\": \"chat-memory.health.timeout\".*?\"replacement\": "
					+ "\"management.health.chatmemory.timeout\"");
	}

	/**
	 * A store whose ping never answers, until interrupted by the health check's
	 * timeout.
	 */
	private static ChatMemoryStore unansweringStore() {
		return (ChatMemoryStore) java.lang.reflect.Proxy.newProxyInstance(ChatMemoryStore.class.getClassLoader(),
				new Class<?>[] { ChatMemoryStore.class }, (proxy, method, args) -> switch (method.getName()) {
					case "type" -> "unanswering";
					case "ping" -> {
						new java.util.concurrent.CountDownLatch(1).await();
						yield null;
					}
					case "toString" -> "unanswering store";
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

	@Test
	void healthIndicatorCanBeSwitchedOff() {
		this.contextRunner.withPropertyValues("management.health.chatmemory.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ChatMemoryHealthIndicator.class));
	}

	@Test
	void endpointIsThereWhenExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ChatMemoryEndpoint.class));
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=chatmemory").run((context) -> {
			assertThat(context).hasSingleBean(ChatMemoryEndpoint.class);
			ChatMemoryEndpoint.ChatMemoryDescriptor descriptor = context.getBean(ChatMemoryEndpoint.class).chatMemory();
			assertThat(descriptor.statistics().storeType()).isEqualTo("in-memory");
			assertThat(descriptor.configuration()).containsEntry("store", "in-memory")
				.containsEntry("window.max-messages", 20);
		});
	}

	@Test
	void recallReindexSaysRecallIsOffAndDoesNothing() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=chatmemory").run((context) -> {
			ChatMemoryEndpoint.RecallReindex answer = context.getBean(ChatMemoryEndpoint.class)
				.write(ChatMemoryEndpoint.RECALL_REINDEX, "ada");
			assertThat(answer.recallEnabled()).isFalse();
			assertThat(answer.queuedSessions()).isZero();
			assertThat(answer.message()).contains("chat-memory.recall.enabled=true");
		});
	}

	@Test
	void endpointValuesAreTypedAndUnsetValuesAbsent() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=chatmemory",
					"chat-memory.retention.max-age=30d")
			.run((context) -> {
				java.util.Map<String, Object> configuration = context.getBean(ChatMemoryEndpoint.class)
					.chatMemory()
					.configuration();
				assertThat(configuration).containsEntry("window.max-messages", 20)
					.containsEntry("window.start-on-user-message", true)
					.containsEntry("validation.max-metadata-size", 16384L)
					.containsEntry("transfer.max-import-size", 10L * 1024 * 1024)
					.containsEntry("retention.max-age", "PT720H")
					.containsEntry("retention.interval", "PT1H")
					.doesNotContainKey("window.max-tokens")
					.doesNotContainValue("null");
			});
	}

	@Test
	void everythingBacksOffWithoutActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=chatmemory")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ChatMemoryHealthIndicator.class)
					.doesNotHaveBean(ChatMemoryEndpoint.class)
					.hasSingleBean(ChatMemoryManager.class);
			});
	}

	@Test
	void storeIsObservedOnlyWithAnObservationRegistry() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ChatMemoryManager.class).getStore())
			.isInstanceOf(InMemoryChatMemoryStore.class));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.contextRunner.withBean(ObservationRegistry.class, () -> observationRegistry(meters))
			.withBean(SimpleMeterRegistry.class, () -> meters)
			.run((context) -> {
				// the store bean itself is observed, so everything using it is, not just the manager
				ChatMemoryStore store = context.getBean(ChatMemoryStore.class);
				assertThat(store).isInstanceOfSatisfying(ObservedChatMemoryStore.class,
						(observed) -> assertThat(observed.getDelegate()).isInstanceOf(InMemoryChatMemoryStore.class));
				assertThat(context.getBean(ChatMemoryManager.class).getStore()).isSameAs(store);
				context.getBean(ChatMemoryHealthIndicator.class).health(true);
				assertThat(meters.find(ObservedChatMemoryStore.OBSERVATION_NAME).tag("operation", "ping").timer())
					.isNotNull();
			});
	}

	@Test
	void applicationsStoreIsObservedToo() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		InMemoryChatMemoryStore own = new InMemoryChatMemoryStore(10, 10, java.time.Clock.systemUTC());
		this.contextRunner.withBean("myStore", ChatMemoryStore.class, () -> own)
			.withBean(ObservationRegistry.class, () -> observationRegistry(meters))
			.run((context) -> assertThat(context.getBean(ChatMemoryManager.class).getStore())
				.isInstanceOfSatisfying(ObservedChatMemoryStore.class,
						(observed) -> assertThat(observed.getDelegate()).isSameAs(own)));
	}

	private static ObservationRegistry observationRegistry(SimpleMeterRegistry meters) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		return registry;
	}

}
