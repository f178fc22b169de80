package io.github.chatmemory.sample;

import io.github.chatmemory.recall.MiniLmEmbeddingModel;
import io.github.chatmemory.springai.ChatMemoryRecallAdvisor;
import io.github.chatmemory.springai.tool.ConversationSearchTool;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the assistant: a {@link ChatClient} whose memory advisor uses the starter's
 * {@link ChatMemory}, and the offline demo model and summarizer unless the {@code openai}
 * profile selects a real model.
 */
@Configuration(proxyBeanMethods = false)
class AssistantConfiguration {

	/**
	 * The demo model answers while no real chat model is selected: a bean condition would
	 * not work here, since user configuration is read before Spring AI's model
	 * auto-configuration.
	 */
	@Bean
	@ConditionalOnProperty(name = "spring.ai.model.chat", havingValue = "none")
	DemoChatModel demoChatModel() {
		return new DemoChatModel();
	}

	/**
	 * The demo summarizer writes the summaries while the demo model answers; with a real
	 * model, the starter summarizes with it.
	 */
	@Bean
	@ConditionalOnProperty(name = "spring.ai.model.chat", havingValue = "none")
	DemoSummarizer demoSummarizer() {
		return new DemoSummarizer();
	}

	/**
	 * The offline embedding model behind semantic recall, loaded only when
	 * {@code chat-memory.recall.enabled=true} switches recall on: that flag alone is
	 * enough in the sample, with no key and no network.
	 */
	@Bean
	@ConditionalOnBooleanProperty("chat-memory.recall.enabled")
	@ConditionalOnProperty(name = "spring.ai.model.embedding", havingValue = "none")
	MiniLmEmbeddingModel miniLmEmbeddingModel() {
		return new MiniLmEmbeddingModel();
	}

	/**
	 * The assistant's client: memory through the advisor, the conversation_search tool,
	 * with which the model searches the user's other conversations, unless
	 * {@code chat-memory.tools.conversation-search.enabled=false} leaves it out, and with
	 * recall on, the recall advisor, which adds what the user said in other
	 * conversations about the same thing to every prompt.
	 */
	@Bean
	ChatClient assistantChatClient(ChatModel chatModel, ChatMemory chatMemory,
			ObjectProvider<ConversationSearchTool> conversationSearchTool,
			ObjectProvider<ChatMemoryRecallAdvisor> recallAdvisor) {
		ChatClient.Builder builder = ChatClient.builder(chatModel)
			.defaultSystem("You are a helpful assistant. Keep answers short.")
			.defaultAdvisors(MessageChatMemoryAdvisor.builder(chatMemory).build());
		recallAdvisor.ifAvailable((advisor) -> builder.defaultAdvisors(advisor));
		conversationSearchTool.ifAvailable((tool) -> builder.defaultToolCallbacks(tool));
		return builder.build();
	}

}
