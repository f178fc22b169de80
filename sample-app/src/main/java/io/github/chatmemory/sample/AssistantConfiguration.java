package io.github.chatmemory.sample;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the assistant: a {@link ChatClient} whose memory advisor uses the starter's
 * {@link ChatMemory}, and the offline demo model unless another model is configured.
 */
@Configuration(proxyBeanMethods = false)
class AssistantConfiguration {

	@Bean
	@ConditionalOnMissingBean(ChatModel.class)
	DemoChatModel demoChatModel() {
		return new DemoChatModel();
	}

	@Bean
	ChatClient assistantChatClient(ChatModel chatModel, ChatMemory chatMemory) {
		return ChatClient.builder(chatModel)
			.defaultSystem("You are a helpful assistant. Keep answers short.")
			.defaultAdvisors(MessageChatMemoryAdvisor.builder(chatMemory).build())
			.build();
	}

}
