package io.github.chatmemory.springai;

import io.github.chatmemory.autoconfigure.ChatMemoryAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Spring AI's advisor and tool-loop memory tests on the in-memory store.
 */
class InMemorySpringAiAdvisorTests extends AbstractSpringAiAdvisorTests {

	@Override
	protected ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ChatMemoryAutoConfiguration.class))
			.withPropertyValues("chat-memory.store=in-memory");
	}

}
