package io.github.chatmemory.autoconfigure;

import java.util.List;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.springai.StoreBackedChatMemory;
import io.github.chatmemory.springai.StoreBackedChatMemoryRepository;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.test.CharacterTokenEstimator;
import io.github.chatmemory.transfer.SessionTransfer;
import io.github.chatmemory.window.WindowPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.tokenizer.TokenCountEstimator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatMemoryAutoConfiguration}. Redis connection factories here are
 * created lazily and never connect.
 */
class ChatMemoryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class,
				org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration.class));

	private final ApplicationContextRunner withRedis = this.contextRunner
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));

	@Test
	void defaultsToInMemoryWithoutRedisConnectionFactory() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(InMemoryChatMemoryStore.class);
			assertThat(context).hasSingleBean(ChatMemoryManager.class);
			assertThat(context).hasSingleBean(ChatMemory.class);
			assertThat(context.getBean(ChatMemory.class)).isInstanceOf(StoreBackedChatMemory.class);
			assertThat(context.getBean(ChatMemoryRepository.class)).isInstanceOf(StoreBackedChatMemoryRepository.class);
		});
	}

	@Test
	void defaultsToRedisWhenRedisConnectionFactoryExists() {
		this.withRedis.run((context) -> {
			assertThat(context).hasSingleBean(RedisChatMemoryStore.class);
			assertThat(context).doesNotHaveBean(InMemoryChatMemoryStore.class);
			assertThat(context.getBean(ChatMemoryStore.class).type()).isEqualTo("redis");
		});
	}

	@Test
	void storePropertySelectsInMemoryEvenWithRedis() {
		this.withRedis.withPropertyValues("chat-memory.store=in-memory")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryChatMemoryStore.class)
				.doesNotHaveBean(RedisChatMemoryStore.class));
	}

	@Test
	void storePropertyRedisWithoutConnectionFactoryFailsClearly() {
		this.contextRunner.withPropertyValues("chat-memory.store=redis").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("chat-memory.store=redis: needs a RedisConnectionFactory");
		});
	}

	@Test
	void noRedisClassesOnTheClasspathGivesInMemory() {
		this.withRedis.withClassLoader(new FilteredClassLoader("org.springframework.data.redis", "io.lettuce"))
			.run((context) -> assertThat(context).hasSingleBean(InMemoryChatMemoryStore.class));
	}

	@Test
	void propertiesReachTheBeans() {
		this.contextRunner
			.withPropertyValues("chat-memory.window.max-messages=2", "chat-memory.in-memory.max-history=3",
					"chat-memory.validation.max-content-length=5")
			.run((context) -> {
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				ChatMemory chatMemory = context.getBean(ChatMemory.class);
				for (int i = 0; i < 4; i++) {
					manager.appendMessages("c", List.of(NewMessage.of(MessageRole.USER, "m" + i)), true);
				}
				assertThat(chatMemory.get("c")).extracting((message) -> message.getText()).containsExactly("m2", "m3");
				assertThat(manager.getSession("c").messageCount()).isEqualTo(3);
				assertThat(context.getBean(ChatMemoryProperties.class).getValidation().getMaxContentLength())
					.isEqualTo(5);
				org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
					.isThrownBy(() -> manager.appendMessages("c", List.of(NewMessage.of(MessageRole.USER, "123456")),
							true))
					.withMessageContaining("content");
			});
	}

	@Test
	void windowPropertiesSetTheDefaultPolicy() {
		this.contextRunner
			.withPropertyValues("chat-memory.window.max-messages=0", "chat-memory.window.max-tokens=500",
					"chat-memory.window.start-on-user-message=false")
			.run((context) -> assertThat(context.getBean(ChatMemoryManager.class).getDefaultWindowPolicy())
				.isEqualTo(new WindowPolicy(null, 500, false)));
	}

	@Test
	void windowStartsOnAUserMessageByDefaultAsSpringAiDoes() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(ChatMemoryManager.class).getDefaultWindowPolicy())
				.isEqualTo(new WindowPolicy(20, null, true)));
	}

	@Test
	void windowWithoutAnyLimitFailsClearly() {
		this.contextRunner.withPropertyValues("chat-memory.window.max-messages=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("maxMessages, maxTokens");
		});
	}

	@Test
	void userTokenCountEstimatorIsUsedForWindows() {
		this.contextRunner.withPropertyValues("chat-memory.window.max-tokens=10")
			.withBean(TokenCountEstimator.class, CharacterTokenEstimator::new)
			.run((context) -> {
				assertThat(context).hasSingleBean(TokenCountEstimator.class);
				ChatMemoryManager manager = context.getBean(ChatMemoryManager.class);
				manager.appendMessages("c", List.of(NewMessage.of(MessageRole.USER, "123456"),
						NewMessage.of(MessageRole.USER, "12")), true);
				// one token per character plus the per-message overhead: only "12" fits in 10
				assertThat(context.getBean(ChatMemory.class).get("c")).extracting((message) -> message.getText())
					.containsExactly("12");
			});
	}

	@Test
	void tokenCountEstimatorIsNotExposedAsABean() {
		this.contextRunner.withPropertyValues("chat-memory.window.max-tokens=100")
			.run((context) -> assertThat(context).doesNotHaveBean(TokenCountEstimator.class)
				.hasSingleBean(ChatMemoryManager.class));
	}

	@Test
	void managerBuilderCustomizersApplyAfterPropertiesInOrder() {
		this.contextRunner.withPropertyValues("chat-memory.window.max-messages=7")
			.withBean("second", ChatMemoryManagerBuilderCustomizer.class,
					() -> new OrderedCustomizer(2, WindowPolicy.ofMessages(3)))
			.withBean("first", ChatMemoryManagerBuilderCustomizer.class,
					() -> new OrderedCustomizer(1, WindowPolicy.ofMessages(5)))
			.run((context) -> assertThat(context.getBean(ChatMemoryManager.class).getDefaultWindowPolicy())
				.isEqualTo(WindowPolicy.ofMessages(3)));
	}

	record OrderedCustomizer(int order, WindowPolicy policy)
			implements ChatMemoryManagerBuilderCustomizer, org.springframework.core.Ordered {

		@Override
		public void customize(ChatMemoryManager.Builder builder) {
			builder.defaultWindowPolicy(this.policy);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	@Test
	void scheduledRetentionOnlyWithMaxAge() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ScheduledRetention.class)
			.hasSingleBean(SessionTransfer.class));
		this.contextRunner.withPropertyValues("chat-memory.retention.max-age=30d", "chat-memory.retention.interval=10m")
			.run((context) -> assertThat(context).hasSingleBean(ScheduledRetention.class));
	}

	@Test
	void userBeansWin() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(ChatMemoryStore.class)).isSameAs(context.getBean("userStore"));
			assertThat(context.getBean(ChatMemory.class)).isSameAs(context.getBean("userChatMemory"));
			assertThat(context.getBean(ChatMemoryRepository.class)).isSameAs(context.getBean("userRepository"));
			assertThat(context).hasSingleBean(ChatMemoryStore.class);
			assertThat(context).hasSingleBean(ChatMemory.class);
		});
	}

	@Test
	void userStoreIsUsedByTheManager() {
		this.withRedis.withUserConfiguration(UserStore.class).run((context) -> {
			assertThat(context).hasSingleBean(ChatMemoryStore.class);
			assertThat(context.getBean(ChatMemoryManager.class).getStore()).isSameAs(context.getBean("userStore"));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserStore {

		@Bean
		ChatMemoryStore userStore() {
			return new InMemoryChatMemoryStore(10, 10, java.time.Clock.systemUTC());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans extends UserStore {

		@Bean
		ChatMemoryRepository userRepository() {
			return new InMemoryChatMemoryRepository();
		}

		@Bean
		ChatMemory userChatMemory(ChatMemoryRepository repository) {
			return MessageWindowChatMemory.builder().chatMemoryRepository(repository).build();
		}

	}

	@Test
	void metadataIsGeneratedForEveryProperty() throws Exception {
		String metadata = new String(getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")
			.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		for (String property : List.of("chat-memory.store", "chat-memory.window.max-messages",
				"chat-memory.redis.key-prefix", "chat-memory.redis.time-to-live", "chat-memory.redis.max-history",
				"chat-memory.in-memory.max-sessions", "chat-memory.validation.id-pattern")) {
			assertThat(metadata).contains("\"name\": \"" + property + "\"");
		}
	}

	@Test
	void storePropertiesBelongToTheirStoreConfigurationUnderTheSameNames() {
		this.contextRunner.withPropertyValues("chat-memory.store=in-memory", "chat-memory.in-memory.max-sessions=7")
			.run((context) -> {
				assertThat(context.getBean(ChatMemoryInMemoryProperties.class).getMaxSessions()).isEqualTo(7);
				assertThat(context).doesNotHaveBean(ChatMemoryRedisProperties.class)
					.doesNotHaveBean(ChatMemoryWebProperties.class)
					.doesNotHaveBean(ChatMemoryClientProperties.class);
			});
	}

	@Test
	void splitPropertiesKeepTheirMetadata() throws Exception {
		String metadata = new String(getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")
			.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(metadata)
			.containsPattern("(?s)\"name\": \"chat-memory.web.base-path\",.*?\"sourceType\": "
					+ "\"io.github.chatmemory.autoconfigure.ChatMemoryWebProperties\"")
			.containsPattern("(?s)\"name\": \"chat-memory.client.base-url\",.*?\"sourceType\": "
					+ "\"io.github.chatmemory.autoconfigure.ChatMemoryClientProperties\"")
			.containsPattern("(?s)\"name\": \"chat-memory.redis.key-prefix\",.*?\"sourceType\": "
					+ "\"io.github.chatmemory.autoconfigure.ChatMemoryRedisProperties\"")
			.containsPattern("(?s)\"name\": \"chat-memory.in-memory.max-bytes\",.*?\"sourceType\": "
					+ "\"io.github.chatmemory.autoconfigure.ChatMemoryInMemoryProperties\"");
	}

}
