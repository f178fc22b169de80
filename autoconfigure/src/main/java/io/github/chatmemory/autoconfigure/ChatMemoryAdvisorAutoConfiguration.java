package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.springai.ChatMemoryRecallAdvisor;

import org.springframework.ai.tokenizer.JTokkitTokenCountEstimator;
import org.springframework.ai.tokenizer.TokenCountEstimator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link ChatMemoryRecallAdvisor} bean when semantic recall is
 * on ({@code chat-memory.recall.enabled=true}); the application adds it to its
 * {@code ChatClient}. Should recall stay off for want of an {@code EmbeddingModel}, the
 * advisor leaves every prompt as it is.
 */
@AutoConfiguration(after = ChatMemoryAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.ai.chat.client.advisor.api.BaseAdvisor")
@ConditionalOnBooleanProperty("chat-memory.recall.enabled")
@ConditionalOnBooleanProperty(name = "chat-memory.recall.advisor.enabled", matchIfMissing = true)
@ConditionalOnBean(ChatMemoryManager.class)
@EnableConfigurationProperties(ChatMemoryAdvisorProperties.class)
public final class ChatMemoryAdvisorAutoConfiguration {

	private static final String PREFIX = "chat-memory.recall.advisor.";

	@Bean
	@ConditionalOnMissingBean
	ChatMemoryRecallAdvisor chatMemoryRecallAdvisor(ChatMemoryManager chatMemoryManager,
			ChatMemoryAdvisorProperties properties, ObjectProvider<TokenCountEstimator> tokenCountEstimator) {
		if (properties.getTopK() < 1 || properties.getTopK() > chatMemoryManager.getValidationRules().maxPageSize()) {
			throw new InvalidChatMemoryPropertyException(PREFIX + "top-k", properties.getTopK(),
					"must be between 1 and chat-memory.validation.max-page-size ("
							+ chatMemoryManager.getValidationRules().maxPageSize() + ")",
					"Set " + PREFIX + "top-k in that range, or remove it to use the default of "
							+ ChatMemoryRecallAdvisor.DEFAULT_TOP_K + ".",
					null);
		}
		if (properties.getMaxTokens() < 1) {
			throw new InvalidChatMemoryPropertyException(PREFIX + "max-tokens", properties.getMaxTokens(),
					"must be at least 1", "Set " + PREFIX + "max-tokens to 1 or more, or remove it to use the default of "
							+ ChatMemoryRecallAdvisor.DEFAULT_MAX_TOKENS + ".",
					null);
		}
		// the application's estimator if it has one, as the context window counts
		return ChatMemoryRecallAdvisor.builder(chatMemoryManager)
			.topK(properties.getTopK())
			.maxTokens(properties.getMaxTokens())
			.minScore(properties.getMinScore())
			.tokenCountEstimator(tokenCountEstimator.getIfUnique(JTokkitTokenCountEstimator::new))
			.build();
	}

}
