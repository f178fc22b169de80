package io.github.chatmemory.springai;

import java.time.Clock;

import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;

/**
 * Spring AI's chat-memory tests on the in-memory store.
 */
class InMemorySpringAiChatMemoryTests extends AbstractSpringAiChatMemoryTests {

	@Override
	protected ChatMemoryStore createStore(Clock clock) {
		return new InMemoryChatMemoryStore(1000, 10_000, clock);
	}

}
