package io.github.chatmemory.store.memory;

import io.github.chatmemory.store.AbstractSummaryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;

/**
 * The summary contract on {@link InMemoryChatMemoryStore}.
 */
class InMemorySummaryStoreTests extends AbstractSummaryStoreContractTests {

	@Override
	protected ChatMemoryStore createStore(int maxHistory) {
		return new InMemoryChatMemoryStore(1000, maxHistory, this.clock);
	}

}
