package io.github.chatmemory.springai;

import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;
import io.github.chatmemory.summary.ChatMemorySummarizer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Spring AI's advisor and tool-loop memory tests on the in-memory store with summaries
 * on, made as soon as one token is left out.
 */
class InMemorySummariesSpringAiAdvisorTests extends AbstractSpringAiAdvisorTests {

	@Override
	protected ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class))
			.withPropertyValues("chat-memory.store=in-memory", "chat-memory.summary.enabled=true",
					"chat-memory.summary.trigger-tokens=1")
			.withBean(ChatMemorySummarizer.class,
					() -> (request) -> new ChatMemorySummarizer.Summary("summary", "test"));
	}

}
