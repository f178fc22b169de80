package io.github.chatmemory.autoconfigure;

import java.time.Clock;
import java.util.Arrays;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.actuate.ChatMemoryRecallHealthIndicator;
import io.github.chatmemory.actuate.ChatMemoryRecallMetrics;
import io.github.chatmemory.recall.ChatMemoryRecall;
import io.github.chatmemory.recall.EmbeddedRecallIndex;
import io.github.chatmemory.recall.IndexedChatMemoryRecall;
import io.github.chatmemory.recall.RecallIndex;
import io.github.chatmemory.recall.RecallIndexer;
import io.github.chatmemory.recall.RecallListener;
import io.github.chatmemory.recall.VectorStoreRecallIndex;
import io.github.chatmemory.store.ChatMemoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of semantic recall, on with {@code chat-memory.recall.enabled=true}:
 * the recall index (the application's Spring AI {@code VectorStore}, else an embedded
 * one), the background {@link RecallIndexer}, the {@link ChatMemoryRecall} the
 * {@link ChatMemoryManager} answers recalls with, their meters and the
 * {@code chatMemoryRecall} health contributor. Turning it on without an
 * {@link EmbeddingModel} bean fails at startup with the property to change.
 */
@AutoConfiguration(after = ChatMemoryAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.ai.embedding.EmbeddingModel")
@ConditionalOnBooleanProperty("chat-memory.recall.enabled")
@ConditionalOnBean(ChatMemoryStore.class)
@EnableConfigurationProperties(ChatMemoryRecallProperties.class)
public final class ChatMemoryRecallAutoConfiguration {

	private static final Log logger = LogFactory.getLog(ChatMemoryRecallAutoConfiguration.class);

	private static final String VECTOR_STORE = "org.springframework.ai.vectorstore.VectorStore";

	/**
	 * The index, chosen once: the vector store named by
	 * {@code chat-memory.recall.vector-store}, else the only VectorStore bean, else an
	 * embedded one. Switches the store's recall queue on, so that no write is missed
	 * between here and the first indexing pass.
	 */
	@Bean
	@ConditionalOnMissingBean
	RecallIndex chatMemoryRecallIndex(ChatMemoryStore chatMemoryStore, ChatMemoryRecallProperties properties,
			ConfigurableListableBeanFactory beanFactory) {
		properties.toSettings();
		EmbeddingModel embeddingModel = embeddingModel(beanFactory);
		RecallIndex index = vectorStoreIndex(properties, beanFactory);
		if (index == null) {
			index = new EmbeddedRecallIndex(embeddingModel, properties.getEmbedded().getMaxVectors());
			logger.info("Chat memory recall: embedded index (no VectorStore bean"
					+ (ClassUtils.isPresent(VECTOR_STORE, beanFactory.getBeanClassLoader()) ? ""
							: ", spring-ai-vector-store is not on the class path")
					+ "), at most " + properties.getEmbedded().getMaxVectors()
					+ " vectors in this JVM; single-instance: rebuilt from the store at every start");
		}
		else {
			logger.info("Chat memory recall: vector store " + index.description());
		}
		try {
			chatMemoryStore.enableRecallTasks();
		}
		catch (UnsupportedOperationException ex) {
			throw new InvalidChatMemoryPropertyException("chat-memory.recall.enabled", true,
					"the " + chatMemoryStore.type() + " chat memory store keeps no recall queue, which indexing reads",
					"Use a store that keeps one (redis, jdbc or in-memory), implement the recall queue methods of "
							+ "ChatMemoryStore in your store, or set chat-memory.recall.enabled=false.",
					ex);
		}
		return index;
	}

	/**
	 * The one embedding model, or a startup failure that says what to add.
	 */
	private static EmbeddingModel embeddingModel(ConfigurableListableBeanFactory beanFactory) {
		String[] names = beanFactory.getBeanNamesForType(EmbeddingModel.class, true, false);
		if (names.length == 0) {
			throw new InvalidChatMemoryPropertyException("chat-memory.recall.enabled", true,
					"semantic recall needs a Spring AI EmbeddingModel bean and there is none",
					"Add an embedding model starter (or define an EmbeddingModel bean, such as "
							+ "io.github.chatmemory.recall.MiniLmEmbeddingModel, which runs offline), or set "
							+ "chat-memory.recall.enabled=false.",
					null);
		}
		return beanFactory.getBeanProvider(EmbeddingModel.class).getIfUnique(() -> {
			throw new InvalidChatMemoryPropertyException("chat-memory.recall.enabled", true,
					"semantic recall needs one Spring AI EmbeddingModel bean but there are " + names.length + " "
							+ Arrays.toString(names) + " and none is @Primary",
					"Mark one EmbeddingModel bean @Primary, or set chat-memory.recall.enabled=false.", null);
		});
	}

	private static @Nullable RecallIndex vectorStoreIndex(ChatMemoryRecallProperties properties,
			ConfigurableListableBeanFactory beanFactory) {
		String name = properties.getVectorStore();
		if (!ClassUtils.isPresent(VECTOR_STORE, beanFactory.getBeanClassLoader())) {
			if (name != null) {
				throw new InvalidChatMemoryPropertyException("chat-memory.recall.vector-store", name,
						"needs Spring AI's VectorStore, and spring-ai-vector-store is not on the class path",
						"Add the vector store starter of your choice, or remove chat-memory.recall.vector-store to "
								+ "use the embedded index.",
						null);
			}
			return null;
		}
		return VectorStores.index(name, beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	RecallListener chatMemoryRecallListener(ObjectProvider<MeterRegistry> meterRegistry) {
		MeterRegistry meters = meterRegistry.getIfUnique();
		return (meters != null) ? new ChatMemoryRecallMetrics(meters) : RecallListener.NONE;
	}

	@Bean
	@ConditionalOnMissingBean
	ChatMemoryRecall chatMemoryRecall(ChatMemoryStore chatMemoryStore, RecallIndex chatMemoryRecallIndex,
			ChatMemoryRecallProperties properties, RecallListener chatMemoryRecallListener) {
		return new IndexedChatMemoryRecall(chatMemoryStore, chatMemoryRecallIndex, properties.toSettings(),
				properties.getSnippetLength(), properties.getMaxCandidates(), chatMemoryRecallListener);
	}

	@Bean
	ChatMemoryManagerBuilderCustomizer chatMemoryRecallCustomizer(ChatMemoryRecall chatMemoryRecall) {
		return (builder) -> builder.recall(chatMemoryRecall);
	}

	/**
	 * The indexer, under the store's lock when it has one ({@link RecallIndexer.Lock}
	 * beans are defined for the Redis and JDBC stores), so that one instance at a time
	 * works on a shared queue. An embedded index starts empty, so its first pass queues
	 * every session.
	 */
	@Bean
	@ConditionalOnMissingBean
	RecallIndexer chatMemoryRecallIndexer(ChatMemoryStore chatMemoryStore, RecallIndex chatMemoryRecallIndex,
			ChatMemoryRecallProperties properties, RecallListener chatMemoryRecallListener,
			ObjectProvider<RecallIndexer.Lock> lock, ObjectProvider<Clock> clock) {
		return new RecallIndexer(chatMemoryStore, chatMemoryRecallIndex, properties.toSettings(),
				chatMemoryRecallListener, lock.getIfUnique(() -> RecallIndexer.Lock.NONE),
				chatMemoryRecallIndex instanceof EmbeddedRecallIndex, ChatMemoryAutoConfiguration.clock(clock));
	}

	/**
	 * Nested so that the health condition, which needs spring-boot-health, is only read
	 * once that module is known to be there.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator")
	static class HealthConfiguration {

		/**
		 * Reported as {@code chatMemoryRecall}; not in the readiness group, so that an
		 * embedding model or vector store outage never takes the chat API out of service.
		 */
		@Bean
		@ConditionalOnEnabledHealthIndicator("chatmemoryrecall")
		@ConditionalOnMissingBean(name = "chatMemoryRecallHealthIndicator")
		ChatMemoryRecallHealthIndicator chatMemoryRecallHealthIndicator(RecallIndexer chatMemoryRecallIndexer,
				ChatMemoryRecallProperties properties) {
			return new ChatMemoryRecallHealthIndicator(chatMemoryRecallIndexer,
					properties.getHealth().getFailuresForDown());
		}

	}

	/**
	 * Chooses the VectorStore bean; a class of its own so that Spring AI's VectorStore is
	 * only loaded when it is on the class path.
	 */
	private static final class VectorStores {

		static @Nullable RecallIndex index(@Nullable String name, ListableBeanFactory beanFactory) {
			var type = org.springframework.ai.vectorstore.VectorStore.class;
			String[] names = beanFactory.getBeanNamesForType(type, true, false);
			if (name != null) {
				if (!Arrays.asList(names).contains(name)) {
					throw new InvalidChatMemoryPropertyException("chat-memory.recall.vector-store", name,
							"names no VectorStore bean; the VectorStore beans are " + Arrays.toString(names),
							"Set chat-memory.recall.vector-store to one of them, or remove it.", null);
				}
				return new VectorStoreRecallIndex(beanFactory.getBean(name, type), name);
			}
			if (names.length == 0) {
				return null;
			}
			if (names.length == 1) {
				return new VectorStoreRecallIndex(beanFactory.getBean(names[0], type), names[0]);
			}
			String primary = primary(names, beanFactory);
			if (primary == null) {
				throw new InvalidChatMemoryPropertyException("chat-memory.recall.vector-store", null,
						"there are " + names.length + " VectorStore beans " + Arrays.toString(names)
								+ " and none is @Primary",
						"Set chat-memory.recall.vector-store to the bean name of the one recall should use.", null);
			}
			return new VectorStoreRecallIndex(beanFactory.getBean(primary, type), primary);
		}

		private static @Nullable String primary(String[] names, ListableBeanFactory beanFactory) {
			if (!(beanFactory instanceof ConfigurableListableBeanFactory configurable)) {
				return null;
			}
			String[] primaries = Arrays.stream(names)
				.filter((name) -> configurable.containsBeanDefinition(name)
						&& configurable.getBeanDefinition(name).isPrimary())
				.toArray(String[]::new);
			return (primaries.length == 1) ? primaries[0] : null;
		}

	}

}
