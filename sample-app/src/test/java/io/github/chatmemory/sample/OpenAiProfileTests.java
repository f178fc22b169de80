package io.github.chatmemory.sample;

import io.github.chatmemory.ChatMemoryManager;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code openai} profile replaces the demo model with Spring AI's OpenAI-compatible
 * model, configured from the environment (no request is sent here), which also writes the
 * summaries.
 */
@SpringBootTest(properties = { "OPENAI_API_KEY=test-key", "OPENAI_BASE_URL=http://127.0.0.1:9",
		"OPENAI_MODEL=llama3.2" })
@ActiveProfiles("openai")
class OpenAiProfileTests {

	@Autowired
	ApplicationContext context;

	@Test
	void usesTheOpenAiCompatibleModel() {
		assertThat(this.context.getBean(ChatModel.class)).isInstanceOf(OpenAiChatModel.class);
		assertThat(this.context.getBeansOfType(DemoChatModel.class)).isEmpty();
		// summaries stay on, written by the real model rather than the demo summarizer
		assertThat(this.context.getBean(ChatMemoryManager.class).isSummarizing()).isTrue();
		assertThat(this.context.getBeansOfType(DemoSummarizer.class)).isEmpty();
		assertThat(this.context.getEnvironment().getProperty("spring.ai.openai.chat.options.model"))
			.isEqualTo("llama3.2");
	}

}
