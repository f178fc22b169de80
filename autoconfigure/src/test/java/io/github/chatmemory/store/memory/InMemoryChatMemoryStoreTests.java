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
	void manyLargeMessagesStayUnderTheByteBoundEvictingTheOldestSessions() {
		long maxBytes = 1024 * 1024;
		InMemoryChatMemoryStore bounded = new InMemoryChatMemoryStore(1000, 1000, maxBytes, this.clock);
		String content = "x".repeat(10_000);
		for (int s = 0; s < 100; s++) {
			bounded.createSession("s-" + s, "ada", "", Map.of());
			for (int m = 0; m < 10; m++) {
				bounded.append("s-" + s, java.util.List.of(NewMessage.of(MessageRole.USER, content).withId("m-" + m)),
						false, null);
				assertThat(bounded.estimatedBytes()).isLessThanOrEqualTo(maxBytes);
			}
			this.clock.advance(java.time.Duration.ofSeconds(1));
		}
		// 100 sessions of 200 KB do not fit in 1 MB: the newest few remain, whole
		assertThat(bounded.findSession("s-99")).hasValueSatisfying((session) -> assertThat(session.messageCount())
			.isEqualTo(10));
		assertThat(bounded.findSession("s-0")).isEmpty();
		java.util.List<String> kept = bounded.findSessionIds(1000);
		assertThat(kept.size()).isBetween(2, 10);
		long messages = kept.stream().mapToLong((id) -> bounded.findSession(id).orElseThrow().messageCount()).sum();
		assertThat(bounded.statistics().messages()).isEqualTo(messages);
		assertThat(bounded.statistics().sessions()).isEqualTo(kept.size());
	}

	@Test
	void aSessionAloneOverTheByteBoundKeepsItsNewestMessages() {
		long maxBytes = 256 * 1024;
		InMemoryChatMemoryStore bounded = new InMemoryChatMemoryStore(10, 1000, maxBytes, this.clock);
		bounded.createSession("s", "ada", "", Map.of());
		for (int m = 0; m < 100; m++) {
			bounded.append("s", java.util.List.of(NewMessage.of(MessageRole.USER, m + "x".repeat(10_000)).withId("m-" + m)),
					false, null);
		}
		assertThat(bounded.estimatedBytes()).isLessThanOrEqualTo(maxBytes);
		java.util.List<io.github.chatmemory.StoredMessage> left = bounded.readMessages("s",
				io.github.chatmemory.MessageQuery.latest(1000));
		assertThat(left).isNotEmpty().hasSizeLessThan(100);
		assertThat(left.get(left.size() - 1).id()).isEqualTo("m-99");
		assertThat(bounded.statistics().messages()).isEqualTo(left.size());
		bounded.deleteSession("s", null);
		assertThat(bounded.estimatedBytes()).isZero();
	}

	@Test
	void reportsItsType() {
		assertThat(createStore(1).type()).isEqualTo("in-memory");
		assertThat(NewSession.forUser("u", null).metadata()).isEmpty();
	}

}
