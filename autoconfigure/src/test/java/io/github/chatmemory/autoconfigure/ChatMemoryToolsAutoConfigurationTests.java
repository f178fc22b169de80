package io.github.chatmemory.autoconfigure;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.springai.tool.ConversationSearchTool;
import org.junit.jupiter.api.Test;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatMemoryToolsAutoConfiguration}: off by default, a
 * {@code conversationSearchTool} bean when enabled, backing off to the application's,
 * absent without Spring AI's tool classes, and bad bounds stop the start.
 */
class ChatMemoryToolsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(ChatMemoryAutoConfiguration.class, ChatMemoryToolsAutoConfiguration.class))
		.withPropertyValues("chat-memory.store=in-memory");

	@Test
	void offByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ChatMemoryManager.class);
			assertThat(context).doesNotHaveBean(ToolCallback.class);
		});
	}

	@Test
	void definesTheToolWhenEnabled() {
		this.contextRunner
			.withPropertyValues("chat-memory.tools.conversation-search.enabled=true",
					"chat-memory.tools.conversation-search.max-results=7")
			.run((context) -> {
				assertThat(context).hasSingleBean(ToolCallback.class);
				ToolCallback tool = context.getBean("conversationSearchTool", ToolCallback.class);
				assertThat(tool).isInstanceOf(ConversationSearchTool.class);
				assertThat(tool.getToolDefinition().name()).isEqualTo("conversation_search");
				assertThat(tool.getToolDefinition().inputSchema()).contains("\"maximum\":7");
			});
	}

	@Test
	void defaultBoundsAreTheToolsDefaults() {
		this.contextRunner.withPropertyValues("chat-memory.tools.conversation-search.enabled=true")
			.run((context) -> {
				ChatMemoryToolsProperties.ConversationSearch settings = context.getBean(ChatMemoryToolsProperties.class)
					.getConversationSearch();
				assertThat(settings.getMaxResults()).isEqualTo(ConversationSearchTool.DEFAULT_MAX_RESULTS);
				assertThat(settings.getMaxTokens()).isEqualTo(ConversationSearchTool.DEFAULT_MAX_TOKENS);
			});
	}

	@Test
	void metadataDescribesEveryToolPropertyWithItsDefault() throws Exception {
		String metadata = new String(getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")
			.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(metadata)
			.containsPattern("(?s)\"name\": \"chat-memory.tools.conversation-search.enabled\",[^}]*\"defaultValue\": false")
			.containsPattern("(?s)\"name\": \"chat-memory.tools.conversation-search.max-results\",[^}]*\"defaultValue\": 5")
			.containsPattern("(?s)\"name\": \"chat-memory.tools.conversation-search.max-tokens\",[^}]*\"defaultValue\": 1000");
	}

	@Test
	void backsOffToTheApplicationsTool() {
		this.contextRunner.withPropertyValues("chat-memory.tools.conversation-search.enabled=true")
			.withUserConfiguration(OwnTool.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ConversationSearchTool.class);
				assertThat(context).hasBean("ownTool").doesNotHaveBean("conversationSearchTool");
			});
		this.contextRunner.withPropertyValues("chat-memory.tools.conversation-search.enabled=true")
			.withUserConfiguration(OwnToolNamedLikeOurs.class)
			.run((context) -> assertThat(context.getBean("conversationSearchTool"))
				.isNotInstanceOf(ConversationSearchTool.class));
	}

	@Test
	void absentWithoutSpringAiToolClasses() {
		this.contextRunner.withPropertyValues("chat-memory.tools.conversation-search.enabled=true")
			.withClassLoader(new FilteredClassLoader("org.springframework.ai.tool"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean("conversationSearchTool");
			});
	}

	@Test
	void badBoundsStopTheStartNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("chat-memory.tools.conversation-search.enabled=true",
					"chat-memory.tools.conversation-search.max-results=51")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidChatMemoryPropertyException.class)
				.hasMessageContaining("chat-memory.tools.conversation-search.max-results=51"));
		this.contextRunner
			.withPropertyValues("chat-memory.tools.conversation-search.enabled=true",
					"chat-memory.tools.conversation-search.max-tokens=10")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidChatMemoryPropertyException.class)
				.hasMessageContaining("chat-memory.tools.conversation-search.max-tokens=10"));
	}

	@Test
	void maxResultsMustLeaveRoomInASearchPage() {
		this.contextRunner
			.withPropertyValues("chat-memory.tools.conversation-search.enabled=true",
					"chat-memory.tools.conversation-search.max-results=10", "chat-memory.validation.max-page-size=10")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidChatMemoryPropertyException.class)
				.hasMessageContaining("chat-memory.tools.conversation-search.max-results=10")
				.hasMessageContaining("chat-memory.validation.max-page-size"));
		this.contextRunner
			.withPropertyValues("chat-memory.tools.conversation-search.enabled=true",
					"chat-memory.tools.conversation-search.max-results=10", "chat-memory.validation.max-page-size=11")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ConversationSearchTool.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTool {

		@Bean
		ConversationSearchTool ownTool(ChatMemoryManager chatMemoryManager) {
			return new ConversationSearchTool(chatMemoryManager);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnToolNamedLikeOurs {

		@Bean
		ToolCallback conversationSearchTool() {
			return org.springframework.ai.tool.function.FunctionToolCallback
				.builder("conversation_search", (String input) -> "mine")
				.inputType(String.class)
				.build();
		}

	}

}
