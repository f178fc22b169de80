package io.github.chatmemory.recall;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.embedding.EmbeddingModel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Semantic recall end to end on the real MiniLM model and the in-memory store, run on
 * each {@link RecallIndex} by a subclass: what the index holds follows every write, and a
 * recall only ever shows the user's own messages that the store still holds.
 */
abstract class AbstractChatMemoryRecallTests {

	protected static MiniLmEmbeddingModel model;

	protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	protected InMemoryChatMemoryStore store;

	protected RecallIndex index;

	protected RecallIndexer indexer;

	protected ChatMemoryManager manager;

	@BeforeAll
	static void loadModel() {
		model = new MiniLmEmbeddingModel();
	}

	@AfterAll
	static void closeModel() {
		model.close();
	}

	/**
	 * Create an empty index on the given model.
	 * @param embeddingModel the model
	 * @return the index
	 */
	protected abstract RecallIndex createIndex(EmbeddingModel embeddingModel);

	/**
	 * Read the ids of the messages of a session that have a vector, from the index itself.
	 * @param sessionId the session
	 * @return the message ids
	 */
	protected abstract Set<String> indexedMessageIds(String sessionId);

	/**
	 * Read the owners recorded on a session's vectors, from the index itself.
	 * @param sessionId the session
	 * @return the owners
	 */
	protected abstract Set<String> indexedUsers(String sessionId);

	@BeforeEach
	void setUp() {
		this.store = new InMemoryChatMemoryStore(1000, 1000, this.clock);
		this.store.enableRecallTasks();
		this.index = createIndex(model);
		this.indexer = new RecallIndexer(this.store, this.index, RecallIndexingSettings.defaults(), RecallListener.NONE,
				RecallIndexer.Lock.NONE, false, this.clock);
		this.manager = ChatMemoryManager.builder(this.store)
			.clock(this.clock)
			.recall(new IndexedChatMemoryRecall(this.store, this.index, RecallIndexingSettings.defaults(), 200, 100,
					RecallListener.NONE))
			.build();
	}

	@Test
	void findsAParaphraseInAnotherSessionOfTheSameUser() {
		conversation("ada-pets", "ada", "I adopted a beagle puppy last week and he chews every shoe in the house",
				"Puppies chew when teething; give him a rubber toy instead.");
		conversation("ada-travel", "ada", "Which train goes from Lisbon to Porto in the morning?",
				"The Alfa Pendular leaves Lisbon at 7:00 and reaches Porto before 10:00.");
		conversation("ada-now", "ada", "Let us talk about my young dog ruining my footwear", "Sure.");
		indexAll();
		RecallResult result = this.manager.recall("ada", "my young dog is ruining my footwear", 3, Set.of("ada-now"));
		assertThat(result.hits()).isNotEmpty();
		RecallHit best = result.hits().get(0);
		assertThat(best.sessionId()).isEqualTo("ada-pets");
		assertThat(best.messageId()).isEqualTo("ada-pets-1");
		assertThat(best.role()).isEqualTo(MessageRole.USER);
		assertThat(best.snippet()).startsWith("I adopted a beagle puppy");
		assertThat(result.hits()).extracting(RecallHit::sessionId).doesNotContain("ada-now");
		assertThat(result.hits()).extracting(RecallHit::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
	}

	@Test
	void neverReturnsAnotherUsersMessageEvenWithIdenticalText() {
		String text = "My bank account number changed after the merger with the other bank";
		conversation("ada-bank", "ada", "Where can I find a good bakery nearby?", "Try the one on Main Street.");
		conversation("bob-bank", "bob", text, "Noted, I will remember your new account.");
		indexAll();
		assertThat(indexedUsers("bob-bank")).containsExactly("bob");
		RecallResult result = this.manager.recall("ada", text, 10);
		assertThat(result.hits()).extracting(RecallHit::sessionId).containsOnly("ada-bank");
		assertThat(this.manager.recall("bob", text, 10).hits().get(0).messageId()).isEqualTo("bob-bank-1");
	}

	@Test
	void onEqualScoresTheSessionWithTheNewestActivityComesFirst() {
		conversation("older", "ada", "The spare house key is under the blue flower pot", "Noted, the flower pot.");
		conversation("newer", "ada", "The spare house key is under the blue flower pot", "Noted, the flower pot.");
		indexAll();
		assertThat(this.manager.recall("ada", "where did I hide the spare key", 2).hits())
			.extracting(RecallHit::sessionId)
			.containsExactly("newer", "older");
		this.store.append("older", List.of(user("older-3", "I also bought a new doormat for the porch")), false, null);
		indexAll();
		List<RecallHit> hits = this.manager.recall("ada", "where did I hide the spare key", 2).hits();
		assertThat(hits).extracting(RecallHit::score).containsExactly(hits.get(0).score(), hits.get(0).score());
		assertThat(hits).extracting(RecallHit::sessionId).containsExactly("older", "newer");
	}

	@Test
	void aSessionOwnedByNobodyIsNotIndexed() {
		this.store.append("nobodys", List.of(user("nobodys-1", "A message of a session made for nobody")), true,
				null);
		indexAll();
		assertThat(indexedMessageIds("nobodys")).isEmpty();
	}

	@Test
	void deletingASessionRemovesItsVectors() {
		conversation("gone", "ada", "Remind me to renew my passport before the summer trip", "I will remind you in May.");
		indexAll();
		assertThat(indexedMessageIds("gone")).containsExactlyInAnyOrder("gone-1", "gone-2");
		this.store.deleteSession("gone", null);
		assertThat(this.manager.recall("ada", "passport renewal", 5).hits()).isEmpty();
		indexAll();
		assertThat(indexedMessageIds("gone")).isEmpty();
	}

	@Test
	void clearingReplacingAndImportingReplaceTheVectors() {
		conversation("cleared", "ada", "The plumber comes on Tuesday to fix the leaking sink", "Good.");
		conversation("replaced", "ada", "My favourite painter is Vermeer, the girl with the pearl earring",
				"A classic.");
		conversation("imported", "ada", "I am allergic to peanuts and shellfish", "I will keep that in mind.");
		indexAll();
		this.store.clearMessages("cleared", null);
		this.store.replaceMessages("replaced",
				List.of(user("replaced-9", "Actually I prefer Monet and his water lilies")));
		ChatSession imported = this.store.findSession("imported").orElseThrow();
		this.store.importSession(
				new ChatSession("imported", "bob", "", Map.of(), true, imported.createdAt(), imported.updatedAt(), 0),
				List.of(stored("imported", "imported-7", 1, "Bob's own note about a cat called Felix")), List.of(),
				true, null, null);
		indexAll();
		assertThat(indexedMessageIds("cleared")).isEmpty();
		assertThat(indexedMessageIds("replaced")).containsExactly("replaced-9");
		assertThat(indexedMessageIds("imported")).containsExactly("imported-7");
		assertThat(indexedUsers("imported")).containsExactly("bob");
		assertThat(this.manager.recall("ada", "food allergies", 5).hits()).extracting(RecallHit::sessionId)
			.doesNotContain("imported");
	}

	@Test
	void aStaleVectorIsNeverReturnedAndItsSessionIsQueuedForRebuild() {
		conversation("live", "ada", "I keep my bicycle in the garage next to the old lawn mower", "Fine.");
		indexAll();
		// vectors the store never held, or no longer holds: a message, a session, another user's session
		this.index.add(List.of(
				new RecallDocument("live", "ada", "never-stored", 99, MessageRole.USER, "Where is my bicycle kept?"),
				new RecallDocument("deleted", "ada", "d-1", 1, MessageRole.USER, "My bicycle is in the garage"),
				new RecallDocument("bobs", "ada", "b-1", 1, MessageRole.USER, "Bob's bicycle is in his garage")));
		conversation("bobs", "bob", "Bob's bicycle is in his garage", "Ok.");
		drainQueue();
		this.index.add(List.of(
				new RecallDocument("bobs", "ada", "bobs-1", 1, MessageRole.USER, "Bob's bicycle is in his garage")));
		RecallResult result = this.manager.recall("ada", "where is my bicycle", 10);
		assertThat(result.hits()).extracting(RecallHit::messageId).containsExactly("live-1");
		assertThat(this.store.findRecallTasks(10)).extracting((task) -> task.sessionId())
			.as("a session whose message is gone (as one a history limit trimmed) is rebuilt too")
			.containsExactlyInAnyOrder("deleted", "bobs", "live");
		indexAll();
		assertThat(indexedMessageIds("deleted")).isEmpty();
		assertThat(indexedUsers("bobs")).containsExactly("bob");
		assertThat(indexedMessageIds("live")).as("the stale vector is gone, the answer too short to index")
			.containsExactly("live-1");
	}

	@Test
	void reindexOfAUserRebuildsOnlyThatUsersVectors() {
		conversation("ada-1", "ada", "The garden needs watering twice a week in July", "Noted, twice a week.");
		conversation("bob-1", "bob", "My car needs new winter tyres", "Noted, winter tyres.");
		indexAll();
		assertThat(this.manager.reindexRecall("ada")).isEqualTo(1);
		assertThat(indexedMessageIds("ada-1")).isEmpty();
		assertThat(indexedMessageIds("bob-1")).containsExactlyInAnyOrder("bob-1-1", "bob-1-2");
		indexAll();
		assertThat(indexedMessageIds("ada-1")).containsExactlyInAnyOrder("ada-1-1", "ada-1-2");
		assertThat(this.manager.reindexRecall(null)).isEqualTo(2);
		assertThat(indexedMessageIds("bob-1")).isEmpty();
		indexAll();
		assertThat(indexedMessageIds("bob-1")).containsExactlyInAnyOrder("bob-1-1", "bob-1-2");
	}

	@Test
	void systemAndToolMessagesAndTooShortTextsAreNotIndexed() {
		this.store.createSession("roles", "ada", "", Map.of());
		this.store.append("roles",
				List.of(NewMessage.of(MessageRole.SYSTEM, "You are a helpful travel agent assistant").withId("sys"),
						user("u", "Book me a flight to Oslo please"), user("ok", "ok"),
						NewMessage.of(MessageRole.TOOL, "{\"flights\": [\"SK 123 to Oslo\"]}").withId("tool")),
				false, null);
		indexAll();
		assertThat(indexedMessageIds("roles")).containsExactly("u");
	}

	@Test
	void aLongSessionIsIndexedOverSeveralBoundedPasses() {
		RecallIndexer small = new RecallIndexer(this.store, this.index,
				new RecallIndexingSettings(Set.of(MessageRole.USER), 1, 100, 10, 5, 2, Duration.ofSeconds(1),
						Duration.ofSeconds(1)),
				RecallListener.NONE, RecallIndexer.Lock.NONE, false, this.clock);
		this.store.createSession("long", "ada", "", Map.of());
		for (int i = 1; i <= 12; i++) {
			this.store.append("long", List.of(user("long-" + i, "message number " + i)), false, null);
		}
		assertThat(small.runOnce().indexed()).isEqualTo(5);
		assertThat(indexedMessageIds("long")).hasSize(5);
		assertThat(this.store.countRecallTasks()).isOne();
		assertThat(small.runOnce().indexed()).isEqualTo(5);
		RecallIndexer.PassResult last = small.runOnce();
		assertThat(last.indexed()).isEqualTo(2);
		assertThat(last.workLeft()).isFalse();
		assertThat(indexedMessageIds("long")).hasSize(12);
		assertThat(this.store.countRecallTasks()).isZero();
	}

	/** Run indexing passes until the queue is empty. */
	protected void indexAll() {
		for (int pass = 0; pass < 100 && this.store.countRecallTasks() > 0; pass++) {
			assertThat(this.indexer.runOnce().outcome()).isEqualTo(RecallIndexer.Outcome.SUCCEEDED);
		}
		assertThat(this.store.countRecallTasks()).isZero();
	}

	/** Complete every queued task without indexing, as if done. */
	private void drainQueue() {
		this.store.findRecallTasks(1000).forEach((task) -> this.store.completeRecallTask(task, Long.MAX_VALUE - 1, true));
	}

	protected void conversation(String sessionId, String userId, String question, String answer) {
		this.store.createSession(sessionId, userId, "", Map.of());
		this.store.append(sessionId, List.of(user(sessionId + "-1", question),
				NewMessage.of(MessageRole.ASSISTANT, answer).withId(sessionId + "-2")), false, null);
		this.clock.advance(Duration.ofSeconds(1));
	}

	protected static NewMessage user(String id, String text) {
		return NewMessage.of(MessageRole.USER, text).withId(id);
	}

	private StoredMessage stored(String sessionId, String id, long sequence, String text) {
		return new StoredMessage(id, sessionId, sequence, MessageRole.USER, text, Map.of(), null, List.of(), List.of(),
				this.clock.instant(), List.of());
	}

}
