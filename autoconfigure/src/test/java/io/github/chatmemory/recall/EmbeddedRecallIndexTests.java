package io.github.chatmemory.recall;

import java.util.List;
import java.util.Set;

import io.github.chatmemory.MessageRole;
import org.junit.jupiter.api.Test;

import org.springframework.ai.embedding.EmbeddingModel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Semantic recall on the {@link EmbeddedRecallIndex}, plus its bound.
 */
class EmbeddedRecallIndexTests extends AbstractChatMemoryRecallTests {

	@Override
	protected RecallIndex createIndex(EmbeddingModel embeddingModel) {
		return new EmbeddedRecallIndex(embeddingModel, 10_000);
	}

	@Override
	protected Set<String> indexedMessageIds(String sessionId) {
		return ((EmbeddedRecallIndex) this.index).messageIds(sessionId);
	}

	@Override
	protected Set<String> indexedUsers(String sessionId) {
		return ((EmbeddedRecallIndex) this.index).usersOf(sessionId);
	}

	@Test
	void keepsAtMostMaxVectorsDroppingThoseIndexedLongestAgo() {
		EmbeddedRecallIndex bounded = new EmbeddedRecallIndex(model, 5);
		for (int i = 1; i <= 8; i++) {
			bounded.add(List.of(new RecallDocument("s", "ada", "m-" + i, i, MessageRole.USER, "note number " + i)));
		}
		assertThat(bounded.size()).isEqualTo(5);
		assertThat(bounded.messageIds("s")).containsExactlyInAnyOrder("m-4", "m-5", "m-6", "m-7", "m-8");
		assertThat(bounded.search("ada", "note", 100, Set.of())).hasSize(5);
	}

	@Test
	void indexingAMessageAgainReplacesItsVector() {
		EmbeddedRecallIndex embedded = new EmbeddedRecallIndex(model, 10);
		embedded.add(List.of(new RecallDocument("s", "ada", "m", 1, MessageRole.USER, "first text")));
		embedded.add(List.of(new RecallDocument("s", "ada", "m", 1, MessageRole.USER, "second text")));
		assertThat(embedded.size()).isOne();
	}

	@Test
	void anIndexThatStartsEmptyQueuesEverySessionOnItsFirstPass() {
		conversation("before-start", "ada", "The boiler was serviced in March by Henrik", "Noted, serviced in March.");
		drainAsIfIndexedElsewhere();
		RecallIndexer restarted = new RecallIndexer(this.store, this.index, RecallIndexingSettings.defaults(),
				RecallListener.NONE, RecallIndexer.Lock.NONE, true, this.clock);
		assertThat(restarted.runOnce().outcome()).isEqualTo(RecallIndexer.Outcome.SUCCEEDED);
		assertThat(indexedMessageIds("before-start")).containsExactlyInAnyOrder("before-start-1", "before-start-2");
		assertThat(this.manager.recall("ada", "who maintained the heating", 1).hits()).extracting(RecallHit::messageId)
			.containsExactly("before-start-1");
	}

	private void drainAsIfIndexedElsewhere() {
		this.store.findRecallTasks(1000).forEach((task) -> this.store.completeRecallTask(task, 1000, true));
		assertThat(this.store.countRecallTasks()).isZero();
	}

}
