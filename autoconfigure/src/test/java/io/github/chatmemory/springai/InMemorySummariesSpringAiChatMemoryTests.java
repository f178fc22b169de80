package io.github.chatmemory.springai;

import java.time.Clock;
import java.time.Duration;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.summary.ChatMemorySummarizer;
import io.github.chatmemory.summary.SummarySettings;

/**
 * Spring AI's chat-memory tests on the in-memory store with summaries on, made in the
 * background as soon as one token is left out: whether or not a summary is in a window
 * when a test reads it, the tests hold as they do without summaries. (The deterministic
 * test of a summary in the prompt is {@link SummaryInPromptTests}.)
 */
class InMemorySummariesSpringAiChatMemoryTests extends AbstractSpringAiChatMemoryTests {

	@Override
	protected ChatMemoryStore createStore(Clock clock) {
		return new InMemoryChatMemoryStore(1000, 10_000, clock);
	}

	@Override
	protected void customize(ChatMemoryManager.Builder builder) {
		builder.summaries((request) -> new ChatMemorySummarizer.Summary("summary", "test"),
				new SummarySettings(1, 100, 100, 10_000, Duration.ofSeconds(5)));
	}

}
