package io.github.chatmemory.store.memory;

import java.util.Map;

import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.store.AbstractChatMemoryStoreContractTests;
import io.github.chatmemory.store.ChatMemoryStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract on {@link InMemoryChatMemoryStore}, plus its bounds.
 */
class InMemoryChatMemoryStoreTests extends AbstractChatMemoryStoreContractTests {

	@Override
	protected ChatMemoryStore createStore(int maxHistory) {
		return new InMemoryChatMemoryStore(1000, maxHistory, this.clock);
	}

	@Test
	void evictsTheSessionWithTheOldestActivityPastMaxSessions() {
		InMemoryChatMemoryStore bounded = new InMemoryChatMemoryStore(2, 10, this.clock);
		bounded.createSession("a", "ada", "", Map.of());
		bounded.createSession("b", "ada", "", Map.of());
		bounded.append("a", java.util.List.of(NewMessage.of(MessageRole.USER, "keeps a").withId("m")), false, null);
		bounded.createSession("c", "ada", "", Map.of());
		assertThat(bounded.findSession("b")).isEmpty();
		assertThat(bounded.findSession("a")).isPresent();
		assertThat(bounded.findSession("c")).isPresent();
		assertThat(bounded.findSessionsByUser("ada", 0, 10).items()).extracting("id").containsExactlyInAnyOrder("a", "c");
		assertThat(bounded.findSessionIds(10)).containsExactly("c", "a");
	}

	@Test
	void reportsItsType() {
		assertThat(createStore(1).type()).isEqualTo("in-memory");
		assertThat(NewSession.forUser("u", null).metadata()).isEmpty();
	}

}
