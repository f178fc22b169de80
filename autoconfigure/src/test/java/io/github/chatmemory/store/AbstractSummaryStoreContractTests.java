package io.github.chatmemory.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.store.ChatMemoryStore.SummaryWrite;
import io.github.chatmemory.test.MutableClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The summary contract every {@link ChatMemoryStore} that keeps summaries fulfils, run
 * against each store by a subclass: summaries are stored beside the history, newest
 * first, bounded, written only while what they extend and cover is unchanged, and go with
 * their session, its cleared history or its replaced messages.
 */
public abstract class AbstractSummaryStoreContractTests {

	protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	protected ChatMemoryStore store;

	/**
	 * Create a fresh, empty store.
	 * @param maxHistory the maximum messages per session the store keeps
	 * @return the store
	 */
	protected abstract ChatMemoryStore createStore(int maxHistory);

	@BeforeEach
	void createStore() {
		this.store = createStore(100_000);
	}

	@Test
	void storesSummariesBesideTheHistoryNewestFirst() {
		List<StoredMessage> messages = session("s-1", 6);
		StoredSummary first = summary("s-1", "sum-1", null, messages.get(2));
		assertThat(this.store.saveSummary(first)).isEqualTo(SummaryWrite.STORED);
		StoredSummary second = summary("s-1", "sum-2", first, messages.get(4));
		assertThat(this.store.saveSummary(second)).isEqualTo(SummaryWrite.STORED);

		assertThat(this.store.findLatestSummary("s-1")).contains(second);
		PagedResult<StoredSummary> page = this.store.findSummaries("s-1", 0, 1);
		assertThat(page.items()).containsExactly(second);
		assertThat(page.totalItems()).isEqualTo(2);
		assertThat(this.store.findSummaries("s-1", 1, 1).items()).containsExactly(first);
		// history is never touched by a summary
		assertThat(this.store.readMessages("s-1", io.github.chatmemory.MessageQuery.after(0, 100)))
			.isEqualTo(messages);
		assertThat(this.store.findSession("s-1").orElseThrow().messageCount()).isEqualTo(6);
	}

	@Test
	void refusesASummaryThatDoesNotExtendTheNewest() {
		List<StoredMessage> messages = session("s-1", 4);
		StoredSummary first = summary("s-1", "sum-1", null, messages.get(1));
		this.store.saveSummary(first);

		// made by another run that had not seen the first one
		assertThat(this.store.saveSummary(summary("s-1", "sum-2", null, messages.get(3))))
			.isEqualTo(SummaryWrite.PREVIOUS_CHANGED);
		StoredSummary unknown = summary("s-1", "unknown", null, messages.get(1));
		assertThat(this.store.saveSummary(summary("s-1", "sum-3", unknown, messages.get(3))))
			.isEqualTo(SummaryWrite.PREVIOUS_CHANGED);
		assertThat(this.store.findSummaries("s-1", 0, 10).items()).containsExactly(first);
	}

	@Test
	void refusesASummaryOfAMessageThatIsNotStoredAsItWasSeen() {
		List<StoredMessage> messages = session("s-1", 3);
		StoredMessage last = messages.get(2);
		StoredMessage otherId = new StoredMessage("not-" + last.id(), last.sessionId(), last.sequence(), last.role(),
				last.content(), last.metadata(), last.responseTo(), last.toolCalls(), last.toolResponses(),
				last.createdAt());
		assertThat(this.store.saveSummary(summary("s-1", "sum-1", null, otherId)))
			.isEqualTo(SummaryWrite.MESSAGES_CHANGED);
		StoredMessage otherSequence = new StoredMessage(last.id(), last.sessionId(), last.sequence() + 1, last.role(),
				last.content(), last.metadata(), last.responseTo(), last.toolCalls(), last.toolResponses(),
				last.createdAt());
		assertThat(this.store.saveSummary(summary("s-1", "sum-1", null, otherSequence)))
			.isEqualTo(SummaryWrite.MESSAGES_CHANGED);
		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
	}

	@Test
	void messagesAppendedMeanwhileDoNotRefuseASummary() {
		List<StoredMessage> messages = session("s-1", 3);
		append("s-1", 5);
		assertThat(this.store.saveSummary(summary("s-1", "sum-1", null, messages.get(2))))
			.isEqualTo(SummaryWrite.STORED);
	}

	@Test
	void clearingTheHistoryRemovesItsSummariesAndRefusesOnesMadeBefore() {
		List<StoredMessage> messages = session("s-1", 4);
		StoredSummary first = summary("s-1", "sum-1", null, messages.get(1));
		this.store.saveSummary(first);
		this.store.clearMessages("s-1", null);

		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
		assertThat(this.store.findSummaries("s-1", 0, 10).totalItems()).isZero();
		// computed before the clear, written after: covers messages that are gone
		assertThat(this.store.saveSummary(summary("s-1", "sum-2", null, messages.get(3))))
			.isEqualTo(SummaryWrite.MESSAGES_CHANGED);
	}

	@Test
	void replacingTheMessagesRemovesTheSummaries() {
		List<StoredMessage> messages = session("s-1", 4);
		this.store.saveSummary(summary("s-1", "sum-1", null, messages.get(1)));
		this.store.replaceMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "again").withId("r-1")));

		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
		assertThat(this.store.saveSummary(summary("s-1", "sum-2", null, messages.get(3))))
			.isEqualTo(SummaryWrite.MESSAGES_CHANGED);
	}

	@Test
	void deletingASessionRemovesItsSummaries() {
		List<StoredMessage> messages = session("s-1", 2);
		this.store.saveSummary(summary("s-1", "sum-1", null, messages.get(1)));
		assertThat(this.store.deleteSession("s-1", null)).isTrue();

		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.store.findSummaries("s-1", 0, 10));
		assertThat(this.store.saveSummary(summary("s-1", "sum-2", null, messages.get(1))))
			.isEqualTo(SummaryWrite.SESSION_NOT_FOUND);
		// the same id again starts without the old session's summaries
		session("s-1", 2);
		assertThat(this.store.findSummaries("s-1", 0, 10).totalItems()).isZero();
	}

	@Test
	void retentionRemovesTheSummariesWithTheSession() {
		List<StoredMessage> messages = session("s-1", 2);
		this.store.saveSummary(summary("s-1", "sum-1", null, messages.get(1)));
		this.clock.advance(java.time.Duration.ofDays(2));
		assertThat(this.store.deleteSessionIfInactiveSince("s-1", this.clock.instant().minusSeconds(60))).isTrue();
		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
	}

	@Test
	void keepsABoundedNumberOfSummariesDroppingTheOldest() {
		List<StoredMessage> messages = session("s-1", 2);
		StoredSummary previous = null;
		List<StoredSummary> saved = new ArrayList<>();
		for (int i = 0; i < StoredSummary.MAX_PER_SESSION + 3; i++) {
			StoredSummary next = summary("s-1", "sum-" + i, previous, messages.get(1));
			assertThat(this.store.saveSummary(next)).isEqualTo(SummaryWrite.STORED);
			saved.add(next);
			previous = next;
		}
		PagedResult<StoredSummary> all = this.store.findSummaries("s-1", 0, 1000);
		assertThat(all.totalItems()).isEqualTo(StoredSummary.MAX_PER_SESSION);
		assertThat(all.items().get(0)).isEqualTo(previous);
		assertThat(all.items().get(all.items().size() - 1)).isEqualTo(saved.get(3));
	}

	@Test
	void importWritesTheSummariesAndAReplacingImportReplacesThem() {
		List<StoredMessage> messages = session("s-1", 4);
		StoredSummary first = summary("s-1", "sum-1", null, messages.get(1));
		StoredSummary second = summary("s-1", "sum-2", first, messages.get(3));
		ChatSession session = this.store.findSession("s-1").orElseThrow();
		this.store.deleteSession("s-1", null);

		this.store.importSession(session, messages, List.of(first, second), false, null);
		assertThat(this.store.findSummaries("s-1", 0, 10).items()).containsExactly(second, first);
		// a summary made after the import extends the imported newest one
		assertThat(this.store.saveSummary(summary("s-1", "sum-3", second, messages.get(3))))
			.isEqualTo(SummaryWrite.STORED);

		this.store.importSession(session, messages, List.of(), true, null);
		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
	}

	protected List<StoredMessage> session(String id, int messages) {
		this.store.createSession(id, "ada", "", Map.of());
		return append(id, messages);
	}

	protected List<StoredMessage> append(String id, int messages) {
		List<NewMessage> batch = new ArrayList<>();
		for (int i = 0; i < messages; i++) {
			batch.add(NewMessage.of((i % 2 == 0) ? MessageRole.USER : MessageRole.ASSISTANT, "message " + i)
				.withId(java.util.UUID.randomUUID().toString()));
		}
		return this.store.append(id, batch, false, null);
	}

	protected StoredSummary summary(String sessionId, String id, @Nullable StoredSummary extended,
			StoredMessage last) {
		long from = (extended != null) ? extended.fromSequence() : 1;
		return new StoredSummary(id, sessionId, "Summary " + id + " of messages up to " + last.sequence(), from,
				last.sequence(), last.id(), (extended != null) ? extended.id() : null, this.clock.instant(),
				"test-model", 12, 40 * last.sequence());
	}

}
