package io.github.chatmemory.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.SessionChangedException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.SessionSnapshot;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.store.ChatMemoryStore.SummaryWrite;
import io.github.chatmemory.test.MutableClock;
import io.github.chatmemory.transfer.ImportOptions;
import io.github.chatmemory.transfer.SessionTransfer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The summary contract every {@link ChatMemoryStore} that keeps summaries fulfils, run
 * against each store by a subclass: summaries are stored beside the history, newest
 * first, bounded, written only while what they extend and cover is unchanged, go with
 * their session, its cleared history or its replaced messages, and move with it through
 * export, import, forks and edits.
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
		assertThat(save(first)).isEqualTo(SummaryWrite.STORED);
		StoredSummary second = summary("s-1", "sum-2", first, messages.get(4));
		assertThat(save(second)).isEqualTo(SummaryWrite.STORED);

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
		save(first);

		// made by another run that had not seen the first one
		assertThat(save(summary("s-1", "sum-2", null, messages.get(3))))
			.isEqualTo(SummaryWrite.PREVIOUS_CHANGED);
		StoredSummary unknown = summary("s-1", "unknown", null, messages.get(1));
		assertThat(save(summary("s-1", "sum-3", unknown, messages.get(3))))
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
		assertThat(save(summary("s-1", "sum-1", null, otherId)))
			.isEqualTo(SummaryWrite.MESSAGES_CHANGED);
		StoredMessage otherSequence = new StoredMessage(last.id(), last.sessionId(), last.sequence() + 1, last.role(),
				last.content(), last.metadata(), last.responseTo(), last.toolCalls(), last.toolResponses(),
				last.createdAt());
		assertThat(save(summary("s-1", "sum-1", null, otherSequence)))
			.isEqualTo(SummaryWrite.MESSAGES_CHANGED);
		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
	}

	@Test
	void messagesAppendedMeanwhileDoNotRefuseASummary() {
		List<StoredMessage> messages = session("s-1", 3);
		append("s-1", 5);
		assertThat(save(summary("s-1", "sum-1", null, messages.get(2))))
			.isEqualTo(SummaryWrite.STORED);
	}

	@Test
	void clearingTheHistoryRemovesItsSummariesAndRefusesOnesMadeBefore() {
		List<StoredMessage> messages = session("s-1", 4);
		StoredSummary first = summary("s-1", "sum-1", null, messages.get(1));
		save(first);
		this.store.clearMessages("s-1", null);

		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
		assertThat(this.store.findSummaries("s-1", 0, 10).totalItems()).isZero();
		// computed before the clear, written after: covers messages that are gone
		assertThat(save(summary("s-1", "sum-2", null, messages.get(3))))
			.isEqualTo(SummaryWrite.MESSAGES_CHANGED);
	}

	@Test
	void replacingTheMessagesRemovesTheSummaries() {
		List<StoredMessage> messages = session("s-1", 4);
		save(summary("s-1", "sum-1", null, messages.get(1)));
		this.store.replaceMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "again").withId("r-1")));

		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
		assertThat(save(summary("s-1", "sum-2", null, messages.get(3))))
			.isEqualTo(SummaryWrite.MESSAGES_CHANGED);
	}

	@Test
	void deletingASessionRemovesItsSummaries() {
		List<StoredMessage> messages = session("s-1", 2);
		save(summary("s-1", "sum-1", null, messages.get(1)));
		assertThat(this.store.deleteSession("s-1", null)).isTrue();

		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.store.findSummaries("s-1", 0, 10));
		assertThat(save(summary("s-1", "sum-2", null, messages.get(1))))
			.isEqualTo(SummaryWrite.SESSION_NOT_FOUND);
		// the same id again starts without the old session's summaries
		session("s-1", 2);
		assertThat(this.store.findSummaries("s-1", 0, 10).totalItems()).isZero();
	}

	@Test
	void refusesASummaryOfADeletedSessionInANewSessionUnderTheSameId() {
		// a run reads ada's session: message "point" at sequence 4 ...
		List<StoredMessage> adas = session("s-1", 5, "ada");
		Instant adasSession = this.store.findSession("s-1").orElseThrow().createdAt();
		StoredSummary made = summary("s-1", "sum-ada", null, adas.get(3));
		// ... meanwhile ada deletes it and bob creates one under the same id, with the same message ids
		this.store.deleteSession("s-1", null);
		this.clock.advance(Duration.ofMillis(1));
		List<StoredMessage> bobs = session("s-1", 5, "bob");
		assertThat(bobs.get(3).id()).isEqualTo(made.toMessageId());
		assertThat(bobs.get(3).sequence()).isEqualTo(made.toSequence());
		assertThat(this.store.saveSummary(made, adasSession)).isEqualTo(SummaryWrite.SESSION_NOT_FOUND);
		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
		// made of bob's session, it is stored
		assertThat(save(summary("s-1", "sum-bob", null, bobs.get(3)))).isEqualTo(SummaryWrite.STORED);
	}

	@Test
	void refusesASummaryMadeBeforeAnImportRewroteTheHistoryUnderTheSameIds() {
		List<StoredMessage> messages = session("s-1", 5);
		ChatSession basis = this.store.findSession("s-1").orElseThrow();
		StoredSummary made = summary("s-1", "sum-old", null, messages.get(3));
		// appends after the run read the session do not refuse a summary ...
		append("s-1", 1);
		ChatSession appended = this.store.findSession("s-1").orElseThrow();
		assertThat(this.store.saveSummary(summary("s-1", "sum-ok", null, messages.get(1)), basis.createdAt(),
				basis.version())).isEqualTo(SummaryWrite.STORED);
		// ... but an import that keeps ids and sequences while it changes what they say does
		List<StoredMessage> scrubbed = this.store.readMessages("s-1", io.github.chatmemory.MessageQuery.after(0, 100))
			.stream()
			.map((message) -> new StoredMessage(message.id(), "s-1", message.sequence(), message.role(), "scrubbed",
					message.metadata(), message.responseTo(), message.toolCalls(), message.toolResponses(),
					message.createdAt(), message.media()))
			.toList();
		this.store.importSession(appended, scrubbed, List.of(), true, null, null);
		StoredSummary latest = this.store.findLatestSummary("s-1").orElse(null);
		StoredSummary late = summary("s-1", "sum-late", latest, messages.get(3));
		assertThat(this.store.saveSummary(late, basis.createdAt(), appended.version()))
			.isEqualTo(SummaryWrite.MESSAGES_CHANGED);
		assertThat(this.store.findSummaries("s-1", 0, 10).items()).extracting(StoredSummary::id)
			.doesNotContain("sum-late", "sum-old");
		// a run that read the session after the import stores its summary
		ChatSession imported = this.store.findSession("s-1").orElseThrow();
		assertThat(this.store.saveSummary(late, imported.createdAt(), imported.version()))
			.isEqualTo(SummaryWrite.STORED);
	}

	@Test
	void retentionRemovesTheSummariesWithTheSession() {
		List<StoredMessage> messages = session("s-1", 2);
		save(summary("s-1", "sum-1", null, messages.get(1)));
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
			assertThat(save(next)).isEqualTo(SummaryWrite.STORED);
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
		assertThat(save(summary("s-1", "sum-3", second, messages.get(3))))
			.isEqualTo(SummaryWrite.STORED);

		this.store.importSession(session, messages, List.of(), true, null);
		assertThat(this.store.findLatestSummary("s-1")).isEmpty();
	}

	@Test
	void exportAndImportKeepASummaryOfMessagesTrimmedAway() {
		this.store = createStore(4);
		List<StoredMessage> messages = session("s-trim", 3);
		StoredSummary first = summary("s-trim", "sum-1", null, messages.get(1));
		save(first);
		// the messages the summary covers go with max-history: it stands in for them
		append("s-trim", 4);
		assertThat(this.store.readMessages("s-trim", io.github.chatmemory.MessageQuery.after(0, 10)).get(0).sequence())
			.isGreaterThan(first.toSequence());
		SessionTransfer transfer = transfer();
		String json = transfer.exportJson("s-trim");
		transfer.importJson(json, ImportOptions.as("s-trim-copy"));
		assertThat(this.store.findSummaries("s-trim-copy", 0, 10).items()).containsExactly(in("s-trim-copy", first));
	}

	@Test
	void exportAndImportCarryTheSummariesUnchanged() {
		List<StoredMessage> messages = session("s-1", 6);
		StoredSummary first = summary("s-1", "sum-1", null, messages.get(1));
		StoredSummary second = summary("s-1", "sum-2", first, messages.get(3));
		save(first);
		save(second);
		SessionTransfer transfer = transfer();
		String json = transfer.exportJson("s-1");
		JsonNode document = JSON.readTree(json);
		assertThat(document.get("version").asInt()).isEqualTo(3);
		assertThat(document.get("summaries").get(1).propertyNames()).containsExactly("id", "text", "from_sequence",
				"to_sequence", "to_message_id", "extends", "created_at", "model", "tokens", "covered_tokens");

		transfer.importJson(json, ImportOptions.as("s-copy"));
		assertThat(this.store.findSummaries("s-copy", 0, 10).items()).containsExactly(in("s-copy", second),
				in("s-copy", first));
		// a replacing import puts back exactly the document's summaries
		List<StoredMessage> copied = this.store.readMessages("s-copy", io.github.chatmemory.MessageQuery.after(0, 10));
		save(summary("s-copy", "sum-3", in("s-copy", second), copied.get(5)));
		transfer.importJson(json, ImportOptions.as("s-copy").replacingExisting());
		SessionSnapshot original = manager().exportSession("s-1");
		SessionSnapshot copy = manager().exportSession("s-copy");
		assertThat(copy.summaries()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("sessionId")
			.containsExactlyElementsOf(original.summaries());
		assertThat(copy.summaries()).extracting(StoredSummary::sessionId).containsOnly("s-copy");
		assertThat(copy.messages()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("sessionId")
			.containsExactlyElementsOf(original.messages());
		// a summary made after the import extends the imported newest one
		assertThat(save(summary("s-copy", "sum-4", in("s-copy", second), copied.get(5))))
			.isEqualTo(SummaryWrite.STORED);
	}

	@Test
	void exportsWithoutSummariesKeepTheOlderFormatVersion() {
		session("s-1", 2);
		JsonNode document = JSON.readTree(transfer().exportJson("s-1"));
		assertThat(document.get("version").asInt()).isEqualTo(1);
		assertThat(document.has("summaries")).isFalse();
	}

	@Test
	void exportLeavesOutSummariesOfMessagesAfterItsBound() {
		List<StoredMessage> messages = session("s-1", 4);
		StoredSummary first = summary("s-1", "sum-1", null, messages.get(1));
		save(first);
		// a summary that names a message past the newest one read cannot belong to the snapshot
		ChatMemoryStore late = delegating(this.store, (method) -> {
			if (method.equals("findSession")) {
				List<StoredMessage> more = append("s-1", 2);
				save(summary("s-1", "sum-2", first, more.get(1)));
			}
		});
		SessionSnapshot snapshot = ChatMemoryManager.builder(late).clock(this.clock).build().exportSession("s-1");
		assertThat(snapshot.messages()).hasSize(4);
		assertThat(snapshot.summaries()).containsExactly(first);
		assertThat(this.store.findSummaries("s-1", 0, 10).totalItems()).isEqualTo(2);
	}

	static List<Object[]> badSummaries() {
		return List.of(
				bad("summaries[1].to_sequence", (doc) -> summary(doc, 1).put("to_sequence", 99)),
				bad("summaries[1].to_message_id", (doc) -> summary(doc, 1).put("to_message_id", "m-2")),
				bad("summaries[1].to_message_id", (doc) -> summary(doc, 1).put("to_message_id", "no/slash")),
				bad("summaries[1].extends", (doc) -> summary(doc, 1).put("extends", "nowhere")),
				bad("summaries[0].extends", (doc) -> summary(doc, 0).put("extends", "sum-2")),
				bad("summaries[1].extends", (doc) -> summary(doc, 1).put("extends", "sum-2")),
				bad("summaries[1].from_sequence", (doc) -> summary(doc, 1).put("from_sequence", 0)),
				bad("summaries[1].to_sequence", (doc) -> summary(doc, 1).put("from_sequence", 5)),
				bad("summaries[1].id", (doc) -> summary(doc, 1).put("id", "sum-1")),
				bad("summaries[0].text", (doc) -> summary(doc, 0).put("text", "x".repeat(100_001))),
				bad("summaries[0].text", (doc) -> summary(doc, 0).put("text", " ")),
				bad("summaries[0].text", (doc) -> summary(doc, 0).remove("text")),
				bad("summaries[0].tokens", (doc) -> summary(doc, 0).put("tokens", -1)),
				bad("summaries[0].tokens", (doc) -> summary(doc, 0).put("tokens", "12")),
				bad("summaries[0].covered_tokens", (doc) -> summary(doc, 0).put("covered_tokens", 1.5)),
				bad("summaries[0].created_at", (doc) -> summary(doc, 0).put("created_at", "2999-01-01T00:00:00Z")),
				bad("summaries[0].colour", (doc) -> summary(doc, 0).put("colour", "red")),
				bad("summaries", (doc) -> ((ObjectNode) doc).put("version", 2)),
				bad("summaries", (doc) -> {
					ArrayNode summaries = (ArrayNode) doc.get("summaries");
					for (int i = 3; i <= StoredSummary.MAX_PER_SESSION + 1; i++) {
						summaries.add(((ObjectNode) summaries.get(1)).deepCopy().put("id", "sum-" + i).put("extends", "sum-" + (i - 1)));
					}
				}));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badSummaries")
	void importRefusesBadSummariesNamingTheFieldAndChangesNothing(String field, Consumer<JsonNode> change) {
		List<StoredMessage> messages = session("s-1", 4, "m-");
		StoredSummary first = summary("s-1", "sum-1", null, messages.get(1));
		save(first);
		save(summary("s-1", "sum-2", first, messages.get(3)));
		SessionTransfer transfer = transfer();
		JsonNode document = JSON.readTree(transfer.exportJson("s-1"));
		List<StoredSummary> before = this.store.findSummaries("s-1", 0, 10).items();
		change.accept(document);

		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> transfer.importJson(JSON.writeValueAsString(document),
					ImportOptions.keepId().replacingExisting()))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(field));
		assertThat(this.store.findSummaries("s-1", 0, 10).items()).isEqualTo(before);
		assertThat(this.store.readMessages("s-1", io.github.chatmemory.MessageQuery.after(0, 10))).isEqualTo(messages);
	}

	@Test
	void importTakesTheOldestSummaryExtendingOneNoLongerKept() {
		List<StoredMessage> messages = session("s-1", 4);
		StoredSummary first = summary("s-1", "sum-1", null, messages.get(1));
		StoredSummary second = summary("s-1", "sum-2", first, messages.get(3));
		save(first);
		save(second);
		JsonNode document = JSON.readTree(transfer().exportJson("s-1"));
		// as after more than a store keeps: the first one it names is gone
		((ArrayNode) document.get("summaries")).remove(0);
		transfer().importJson(JSON.writeValueAsString(document), ImportOptions.as("s-copy"));
		assertThat(this.store.findSummaries("s-copy", 0, 10).items()).containsExactly(in("s-copy", second));
	}

	@Test
	void forkAndEditCopyTheSummariesOfTheMessagesTheyCopy() {
		List<StoredMessage> messages = session("s-1", 6);
		StoredSummary first = summary("s-1", "sum-1", null, messages.get(1));
		StoredSummary second = summary("s-1", "sum-2", first, messages.get(3));
		StoredSummary third = summary("s-1", "sum-3", second, messages.get(5));
		List.of(first, second, third).forEach(this::save);
		ChatMemoryManager manager = manager();

		ChatSession fork = manager.forkSession("s-1", messages.get(3).id(), null, "ada");
		assertThat(this.store.findSummaries(fork.id(), 0, 10).items()).containsExactly(in(fork.id(), second),
				in(fork.id(), first));
		assertThat(this.store.findSummaries(manager.forkSession("s-1", messages.get(5).id(), null, "ada").id(), 0, 10)
			.items()).extracting(StoredSummary::id).containsExactly("sum-3", "sum-2", "sum-1");
		assertThat(this.store.findSummaries(manager.forkSession("s-1", messages.get(0).id(), null, "ada").id(), 0, 10)
			.items()).isEmpty();
		// an edit keeps the summaries of the messages before the edited one, never of that one
		ChatSession edit = manager.editMessage("s-1", messages.get(4).id(), "again", "ada");
		assertThat(this.store.findSummaries(edit.id(), 0, 10).items()).extracting(StoredSummary::id)
			.containsExactly("sum-2", "sum-1");
		ChatSession earlyEdit = manager.editMessage("s-1", messages.get(2).id(), "again", "ada");
		assertThat(this.store.findSummaries(earlyEdit.id(), 0, 10).items()).extracting(StoredSummary::id)
			.containsExactly("sum-1");
		// the source keeps its own, and a branch summarizes on from what it copied
		assertThat(this.store.findSummaries("s-1", 0, 10).totalItems()).isEqualTo(3);
		assertThat(save(summary(fork.id(), "sum-f", in(fork.id(), second), messages.get(3))))
			.isEqualTo(SummaryWrite.STORED);
	}

	@Test
	void aForkWhoseSourceIsReplacedMeanwhileCopiesOneStateOnly() {
		SessionSnapshot[] states = twoStates();
		AtomicInteger reads = new AtomicInteger();
		ChatMemoryStore replacing = delegating(this.store, (method) -> {
			if (method.equals("readVersionedMessages") && reads.getAndIncrement() == 0) {
				importState(states[1]);
			}
		});
		ChatSession fork = ChatMemoryManager.builder(replacing)
			.clock(this.clock)
			.build()
			.forkSession("s-1", "point", null, "ada");

		SessionSnapshot copied = manager().exportSession(fork.id());
		List<String> messageIds = copied.messages().stream().map(StoredMessage::id).toList();
		List<String> summaryIds = copied.summaries().stream().map(StoredSummary::id).toList();
		// the messages and the summaries of one state, never the messages of one with the summaries of the other
		assertThat(List.of(messageIds, summaryIds)).isIn(
				List.of(List.of("a0", "a1", "a2", "point"), List.of("sum-a1", "sum-a2")),
				List.of(List.of("b0", "b1", "b2", "point"), List.of("sum-b1")));
	}

	@Test
	void aForkWhoseSourceKeepsBeingReplacedFailsAndWritesNothing() {
		SessionSnapshot[] states = twoStates();
		AtomicInteger reads = new AtomicInteger();
		ChatMemoryStore replacing = delegating(this.store, (method) -> {
			if (method.equals("readVersionedMessages")) {
				importState(states[reads.incrementAndGet() % 2]);
			}
		});
		ChatMemoryManager manager = ChatMemoryManager.builder(replacing).clock(this.clock).build();
		assertThatExceptionOfType(SessionChangedException.class)
			.isThrownBy(() -> manager.forkSession("s-1", "point", null, "ada"));
		assertThat(manager().listBranches("s-1", 0, 10, null).items()).isEmpty();
		assertThat(this.store.findSessionsByUser("ada", 0, 10).items()).extracting(ChatSession::id)
			.containsExactlyInAnyOrder("s-1", "s-b");
	}

	/**
	 * Two states of session {@code s-1}, both with the message {@code point} fourth: the
	 * one stored, and another to replace it with.
	 */
	private SessionSnapshot[] twoStates() {
		List<StoredMessage> a = session("s-1", 6, "a");
		StoredSummary a1 = summary("s-1", "sum-a1", null, a.get(1));
		save(a1);
		save(summary("s-1", "sum-a2", a1, a.get(3)));
		List<StoredMessage> b = session("s-b", 5, "b");
		save(summary("s-b", "sum-b1", null, b.get(3)));
		SessionSnapshot stateA = manager().exportSession("s-1");
		SessionSnapshot stateB = manager().exportSession("s-b");
		ChatSession session = stateA.session();
		return new SessionSnapshot[] { stateA, new SessionSnapshot(session,
				stateB.messages().stream().map((message) -> in("s-1", message)).toList(),
				stateB.summaries().stream().map((summary) -> in("s-1", summary)).toList()) };
	}

	private void importState(SessionSnapshot state) {
		this.store.importSession(state.session(), state.messages(), state.summaries(), true, null, null);
	}

	/**
	 * A store that does what the given store does, then calls back with the name of each
	 * method called, so that a test can change the session between two reads.
	 */
	private static ChatMemoryStore delegating(ChatMemoryStore target, Consumer<String> afterCall) {
		return (ChatMemoryStore) Proxy.newProxyInstance(ChatMemoryStore.class.getClassLoader(),
				new Class<?>[] { ChatMemoryStore.class }, (proxy, method, args) -> {
					Object result;
					try {
						result = method.invoke(target, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
					afterCall.accept(method.getName());
					return result;
				});
	}

	private ChatMemoryManager manager() {
		return ChatMemoryManager.builder(this.store).clock(this.clock).build();
	}

	private SessionTransfer transfer() {
		return new SessionTransfer(manager(), 1 << 20, this.clock);
	}

	private static Object[] bad(String field, Consumer<JsonNode> change) {
		return new Object[] { field, change };
	}

	@Test
	void recentMessagesComeWithTheLatestSummaryWhenAskedFor() {
		List<StoredMessage> messages = session("s-recent", 4);
		assertThat(this.store.readRecent("s-recent", 2, true, true).latestSummary()).isNull();
		StoredSummary first = summary("s-recent", "sum-1", null, messages.get(1));
		assertThat(save(first)).isEqualTo(ChatMemoryStore.SummaryWrite.STORED);
		StoredSummary second = summary("s-recent", "sum-2", first, messages.get(2));
		assertThat(save(second)).isEqualTo(ChatMemoryStore.SummaryWrite.STORED);
		ChatMemoryStore.RecentMessages recent = this.store.readRecent("s-recent", 2, true, true);
		assertThat(recent.latestSummary()).isEqualTo(second);
		assertThat(recent.messages()).isEqualTo(this.store.readRecent("s-recent", 2, true).messages());
		assertThat(this.store.readRecent("s-recent", 2, true, false).latestSummary()).isNull();
		assertThat(this.store.readRecent("missing", 2, true, true).exists()).isFalse();
	}

	private static ObjectNode summary(JsonNode document, int index) {
		return (ObjectNode) document.get("summaries").get(index);
	}

	private static StoredSummary in(String sessionId, StoredSummary summary) {
		return new StoredSummary(summary.id(), sessionId, summary.text(), summary.fromSequence(), summary.toSequence(),
				summary.toMessageId(), summary.extendsId(), summary.createdAt(), summary.model(), summary.tokens(),
				summary.coveredTokens());
	}

	private static StoredMessage in(String sessionId, StoredMessage message) {
		return new StoredMessage(message.id(), sessionId, message.sequence(), message.role(), message.content(),
				message.metadata(), message.responseTo(), message.toolCalls(), message.toolResponses(),
				message.createdAt(), message.media());
	}

	private static final JsonMapper JSON = JsonMapper.builder().build();

	protected List<StoredMessage> session(String id, int messages, String idPrefix) {
		this.store.createSession(id, "ada", "", Map.of());
		List<NewMessage> batch = new ArrayList<>();
		for (int i = 0; i < messages; i++) {
			batch.add(NewMessage.of((i % 2 == 0) ? MessageRole.USER : MessageRole.ASSISTANT, idPrefix + " message " + i)
				.withId((i == 3) ? "point" : idPrefix + i));
		}
		return this.store.append(id, batch, false, null);
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

	/**
	 * Save a summary as a run does: of the session as it is now (a session that is gone
	 * counts as created at the epoch).
	 */
	protected SummaryWrite save(StoredSummary summary) {
		Instant createdAt = this.store.findSession(summary.sessionId()).map(ChatSession::createdAt).orElse(Instant.EPOCH);
		return this.store.saveSummary(summary, createdAt);
	}

	protected StoredSummary summary(String sessionId, String id, @Nullable StoredSummary extended,
			StoredMessage last) {
		long from = (extended != null) ? extended.fromSequence() : 1;
		return new StoredSummary(id, sessionId, "Summary " + id + " of messages up to " + last.sequence(), from,
				last.sequence(), last.id(), (extended != null) ? extended.id() : null, this.clock.instant(),
				"test-model", 12, 40 * last.sequence());
	}

}
