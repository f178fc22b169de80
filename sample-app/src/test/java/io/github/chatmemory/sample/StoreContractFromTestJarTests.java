package io.github.chatmemory.sample;

import io.github.chatmemory.store.AbstractChatMemoryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;

/**
 * The store contract run from the published test-jar, as README's "Writing your own
 * store" tells a store written outside this project to run it: a subclass in another
 * package and module that only implements {@code createStore}.
 */
class StoreContractFromTestJarTests extends AbstractChatMemoryStoreContractTests {

	@Override
	protected ChatMemoryStore createStore(int maxHistory) {
		return new InMemoryChatMemoryStore(1000, maxHistory, this.clock);
	}

}
