package io.github.chatmemory.springai.tool;

import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.autoconfigure.ChatMemoryToolsAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The conversation_search tool in a ChatClient turn on the in-memory store.
 */
class InMemoryConversationSearchToolChatClientTests extends AbstractConversationSearchToolChatClientTests {

	@Override
	protected ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ChatMemoryAutoConfiguration.class, ChatMemoryToolsAutoConfiguration.class))
			.withPropertyValues("chat-memory.store=in-memory", "chat-memory.tools.conversation-search.enabled=true");
	}

}
