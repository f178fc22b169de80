package io.github.chatmemory.autoconfigure;

import java.time.Clock;
import java.util.Arrays;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.summary.ChatMemorySummarizer;
import io.github.chatmemory.summary.ChatModelSummarizer;
import io.github.chatmemory.summary.SummaryListener;
import io.github.chatmemory.actuate.ChatMemoryMetrics;
import io.github.chatmemory.springai.StoreBackedChatMemory;
import io.github.chatmemory.springai.StoreBackedChatMemoryRepository;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.transfer.SessionTransfer;
import io.github.chatmemory.window.MessageTokenCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.tokenizer.JTokkitTokenCountEstimator;
import org.springframework.ai.tokenizer.TokenCountEstimator;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration for chat memory: a {@link ChatMemoryStore} (Redis, JDBC or in-memory), the
 * {@link ChatMemoryManager}, and Spring AI's {@link ChatMemory} and
 * {@link ChatMemoryRepository} on top of it. Runs before Spring AI's own chat memory
 * auto-configuration, which then backs off, and after Spring AI's repository
 * auto-configurations, whose repository then is the {@link ChatMemoryRepository}.
 */
@AutoConfiguration(
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				// a Spring AI repository starter the application added keeps its repository:
				// ours backs off, deterministically, rather than making two candidates
				"org.springframework.ai.model.chat.memory.repository.jdbc.autoconfigure.JdbcChatMemoryRepositoryAutoConfiguration",
				"org.springframework.ai.model.chat.memory.repository.redis.autoconfigure.RedisChatMemoryRepositoryAutoConfiguration",
				// the name of Spring AI 2.0.0's Redis repository auto-configuration
				"org.springframework.ai.model.chat.memory.redis.autoconfigure.RedisChatMemoryAutoConfiguration",
				"org.springframework.ai.model.chat.memory.repository.mongo.autoconfigure.MongoChatMemoryAutoConfiguration",
				"org.springframework.ai.model.chat.memory.repository.neo4j.autoconfigure.Neo4jChatMemoryRepositoryAutoConfiguration",
				"org.springframework.ai.model.chat.memory.repository.cassandra.autoconfigure.CassandraChatMemoryRepositoryAutoConfiguration" },
		beforeName = "org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration")
@EnableConfigurationProperties({ ChatMemoryProperties.class, ChatMemorySummaryProperties.class })
@Import({ ChatMemoryStoreConfigurations.RedisStoreConfiguration.class,
		ChatMemoryStoreConfigurations.MissingRedisConfiguration.class,
		ChatMemoryStoreConfigurations.JdbcStoreConfiguration.class,
		ChatMemoryStoreConfigurations.MissingJdbcConfiguration.class,
		ChatMemoryStoreConfigurations.InMemoryStoreConfiguration.class })
public final class ChatMemoryAutoConfiguration {

	private static final Log logger = LogFactory.getLog(ChatMemoryAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	ChatMemoryManager chatMemoryManager(ChatMemoryStore chatMemoryStore, ChatMemoryProperties properties,
			ObjectProvider<TokenCountEstimator> tokenCountEstimator, ObjectProvider<Clock> clock,
			ObjectProvider<MeterRegistry> meterRegistry,
			ObjectProvider<ChatMemoryManagerBuilderCustomizer> customizers, ChatMemorySummaryProperties summary,
			ObjectProvider<ChatMemorySummarizer> summarizers, ObjectProvider<ChatModel> chatModels,
			ListableBeanFactory beanFactory) {
		MeterRegistry meters = meterRegistry.getIfUnique();
		ChatMemoryMetrics metrics = (meters != null) ? new ChatMemoryMetrics(meters) : null;
		// the store bean is observed already, by chatMemoryStoreObservationPostProcessor
		ChatMemoryManager.Builder builder = ChatMemoryManager.builder(chatMemoryStore)
			.validationRules(properties.getValidation().toRules())
			.defaultWindowPolicy(properties.getWindow().toPolicy())
			// the application's estimator if it has one; ours stays private, so it never
			// becomes the estimator of other Spring AI components
			.tokenCounter(new MessageTokenCounter(tokenCountEstimator.getIfUnique(JTokkitTokenCountEstimator::new)))
			.searchLimits(properties.getSearch().toLimits())
			.maxSessionsPerUser(properties.getValidation().getMaxSessionsPerUser())
			.clock(clock(clock));
		if (metrics != null) {
			builder.contextWindowListener(metrics::windowBuilt);
		}
		if (summary.isEnabled()) {
			builder.summaries(summarizer(summary, summarizers, chatModels, beanFactory), summary.toSettings());
			builder.summaryExecution(summary.getThreads(), summary.getQueueCapacity(),
					(metrics != null) ? metrics : SummaryListener.NONE);
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	/**
	 * The application's summarizer, else one on its chat model: a summarizer is made only
	 * when a {@link ChatModel} bean exists, and turning summaries on without either fails
	 * at startup with the property to change.
	 */
	private static ChatMemorySummarizer summarizer(ChatMemorySummaryProperties summary,
			ObjectProvider<ChatMemorySummarizer> summarizers, ObjectProvider<ChatModel> chatModels,
			ListableBeanFactory beanFactory) {
		ChatMemorySummarizer own = summarizers.getIfUnique();
		if (own != null) {
			return own;
		}
		if (!hasSingleChatModel(beanFactory)) {
			throw new InvalidChatMemoryPropertyException("chat-memory.summary.enabled", true,
					"summaries need a ChatMemorySummarizer bean or a single Spring AI ChatModel bean, and there is neither",
					"Add a chat model starter (or a ChatMemorySummarizer bean), or set chat-memory.summary.enabled=false.",
					null);
		}
		// the model is taken at the first summary, not now: a model may need the chat
		// memory (Spring AI's do, through a tool such as conversation_search), a cycle now
		return new ChatModelSummarizer(SingletonSupplier.of(chatModels::getObject),
				summary.getOptions().toChatOptions(summary.getMaxTokens()));
	}

	/**
	 * Whether one chat model bean, or one primary among several, is defined, found from the
	 * bean definitions without creating any.
	 */
	private static boolean hasSingleChatModel(ListableBeanFactory beanFactory) {
		String[] names = beanFactory.getBeanNamesForType(ChatModel.class, true, false);
		if (names.length <= 1) {
			return names.length == 1;
		}
		return beanFactory instanceof ConfigurableListableBeanFactory configurable && Arrays.stream(names)
			.filter((name) -> configurable.containsBeanDefinition(name)
					&& configurable.getBeanDefinition(name).isPrimary())
			.count() == 1;
	}

	/**
	 * Observes the store bean, whoever defines it; static, as a post-processor must be, so
	 * that it does not bring this configuration to life early.
	 */
	@Bean
	static ChatMemoryStoreObservationPostProcessor chatMemoryStoreObservationPostProcessor(
			ObjectProvider<ObservationRegistry> observationRegistry, ObjectProvider<MeterRegistry> meterRegistry) {
		return new ChatMemoryStoreObservationPostProcessor(observationRegistry, meterRegistry);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTransfer chatMemorySessionTransfer(ChatMemoryManager chatMemoryManager, ChatMemoryProperties properties,
			ObjectProvider<Clock> clock) {
		return new SessionTransfer(chatMemoryManager, properties.getTransfer().getMaxImportSize().toBytes(),
				clock(clock), properties.getTransfer().getMaxConcurrent());
	}

	/**
	 * Runs retention on the application's {@link TaskScheduler} when it has one (Spring
	 * Boot's {@code taskScheduler} with {@code @EnableScheduling}), otherwise on a
	 * one-thread scheduler of its own built by Boot's builder; under the store's lock
	 * when it has one, so that one instance at a time cleans up a shared store.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty("chat-memory.retention.max-age")
	ScheduledRetention chatMemoryScheduledRetention(ChatMemoryManager chatMemoryManager,
			ChatMemoryProperties properties, ObjectProvider<TaskScheduler> taskScheduler,
			ObjectProvider<ThreadPoolTaskSchedulerBuilder> taskSchedulerBuilder,
			ObjectProvider<ScheduledRetention.Lock> lock) {
		ChatMemoryProperties.Retention retention = properties.getRetention();
		ScheduledRetention.Lock runLock = lock.getIfUnique(() -> ScheduledRetention.Lock.NONE);
		TaskScheduler scheduler = taskScheduler.getIfUnique();
		if (scheduler != null) {
			return new ScheduledRetention(chatMemoryManager, retention.getMaxAge(), retention.getInterval(), scheduler,
					runLock);
		}
		ThreadPoolTaskScheduler ownScheduler = taskSchedulerBuilder.getIfAvailable(ThreadPoolTaskSchedulerBuilder::new)
			.poolSize(1)
			.threadNamePrefix("chat-memory-retention-")
			.build();
		// an application that never schedules anything else keeps no live thread for us
		ownScheduler.setDaemon(true);
		ownScheduler.initialize();
		return ScheduledRetention.withOwnScheduler(chatMemoryManager, retention.getMaxAge(), retention.getInterval(),
				ownScheduler, runLock);
	}

	@Bean
	@ConditionalOnMissingBean
	ChatMemory chatMemory(ChatMemoryManager chatMemoryManager, ObjectProvider<ChatMemoryRepository> repositories) {
		ChatMemoryRepository repository = repositories.getIfUnique();
		if (repository != null && !(repository instanceof StoreBackedChatMemoryRepository)) {
			// a Spring AI repository starter keeps its repository: say that the two beans do
			// not share conversations, rather than let an application find out later
			logger.warn("The ChatMemory bean keeps conversations in the chat memory store ("
					+ chatMemoryManager.getStore().type() + "), but the ChatMemoryRepository bean is "
					+ repository.getClass().getName() + ": they do not share conversations. Use one of them, or "
					+ "define your own ChatMemory over that repository (README: Spring AI's repository starters)");
		}
		return new StoreBackedChatMemory(chatMemoryManager);
	}

	@Bean
	@ConditionalOnMissingBean
	ChatMemoryRepository chatMemoryRepository(ChatMemoryManager chatMemoryManager) {
		return new StoreBackedChatMemoryRepository(chatMemoryManager);
	}

	/**
	 * Says why {@code chat-memory.web.enabled=true} has no effect, rather than leaving the
	 * API silently missing.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("chat-memory.web.enabled")
	@ConditionalOnMissingClass("org.springframework.web.servlet.DispatcherServlet")
	static class WebMvcMissingWarning {

		WebMvcMissingWarning() {
			logger.warn("chat-memory.web.enabled=true but Spring MVC is not on the class path, so the chat memory "
					+ "REST API is not exposed: add spring-boot-starter-webmvc");
		}

	}

	static Clock clock(ObjectProvider<Clock> clock) {
		return clock.getIfAvailable(Clock::systemUTC);
	}

}
