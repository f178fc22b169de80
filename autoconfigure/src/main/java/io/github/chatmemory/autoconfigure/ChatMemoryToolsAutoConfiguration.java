package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.springai.tool.ConversationSearchTool;

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
 * Auto-configuration of the {@code conversation_search} tool, a Spring AI
 * {@code ToolCallback} bean, off until
 * {@code chat-memory.tools.conversation-search.enabled=true}: a tool bean is not offered
 * to a model until the application registers it with its {@code ChatClient}, but Spring
 * AI resolves tool beans by name and some applications register every one.
 */
@AutoConfiguration(after = ChatMemoryAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.ai.tool.ToolCallback")
@ConditionalOnBooleanProperty("chat-memory.tools.conversation-search.enabled")
@ConditionalOnBean(ChatMemoryManager.class)
@EnableConfigurationProperties(ChatMemoryToolsProperties.class)
public final class ChatMemoryToolsAutoConfiguration {

	private static final String PREFIX = "chat-memory.tools.conversation-search.";

	@Bean
	@ConditionalOnMissingBean(value = ConversationSearchTool.class, name = "conversationSearchTool")
	ConversationSearchTool conversationSearchTool(ChatMemoryManager chatMemoryManager,
			ChatMemoryToolsProperties properties, ObjectProvider<TokenCountEstimator> tokenCountEstimator) {
		ChatMemoryToolsProperties.ConversationSearch settings = properties.getConversationSearch();
		int maxResults = settings.getMaxResults();
		if (maxResults < 1 || maxResults > ConversationSearchTool.MAX_RESULTS_LIMIT) {
			throw new InvalidChatMemoryPropertyException(PREFIX + "max-results", maxResults,
					"must be between 1 and " + ConversationSearchTool.MAX_RESULTS_LIMIT,
					"Set " + PREFIX + "max-results between 1 and " + ConversationSearchTool.MAX_RESULTS_LIMIT
							+ ", or remove it to use the default of " + ConversationSearchTool.DEFAULT_MAX_RESULTS
							+ ".",
					null);
		}
		int maxPageSize = chatMemoryManager.getValidationRules().maxPageSize();
		if (maxResults >= maxPageSize) {
			// the tool asks for one hit more than it returns, to tell whether more exist
			throw new InvalidChatMemoryPropertyException(PREFIX + "max-results", maxResults,
					"must be less than chat-memory.validation.max-page-size (" + maxPageSize
							+ "): the tool asks the search for one more hit than it returns",
					"Set " + PREFIX + "max-results below " + maxPageSize
							+ ", or raise chat-memory.validation.max-page-size.",
					null);
		}
		int maxTokens = settings.getMaxTokens();
		if (maxTokens < ConversationSearchTool.MIN_MAX_TOKENS) {
			throw new InvalidChatMemoryPropertyException(PREFIX + "max-tokens", maxTokens,
					"must be at least " + ConversationSearchTool.MIN_MAX_TOKENS,
					"Set " + PREFIX + "max-tokens to " + ConversationSearchTool.MIN_MAX_TOKENS
							+ " or more, or remove it to use the default of "
							+ ConversationSearchTool.DEFAULT_MAX_TOKENS + ".",
					null);
		}
		// the application's estimator if it has one, as the context window counts
		return new ConversationSearchTool(chatMemoryManager, maxResults, maxTokens,
				tokenCountEstimator.getIfUnique(JTokkitTokenCountEstimator::new));
	}

}
