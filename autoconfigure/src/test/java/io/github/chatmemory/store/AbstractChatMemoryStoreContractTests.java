package io.github.chatmemory.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ExportTooLargeException;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.ChatMemoryStatistics;
import io.github.chatmemory.RetentionRun;
import io.github.chatmemory.SessionSnapshot;
import io.github.chatmemory.search.SearchHit;
import io.github.chatmemory.search.SearchResult;
import io.github.chatmemory.transfer.ImportOptions;
import io.github.chatmemory.transfer.ImportTooLargeException;
import io.github.chatmemory.transfer.SessionTransfer;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.IdempotencyConflictException;
import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.SessionAlreadyExistsException;
import io.github.chatmemory.SessionInactiveException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.MessageNotFoundException;
import io.github.chatmemory.SessionVersionConflictException;
import io.github.chatmemory.VersionedMessages;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import io.github.chatmemory.springai.StoreBackedChatMemory;
import io.github.chatmemory.store.ChatMemoryStore.RecentMessages;
import io.github.chatmemory.test.MutableClock;
import io.github.chatmemory.window.WindowMessage;
import io.github.chatmemory.window.WindowPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The contract every {@link ChatMemoryStore} fulfils, run against each store by a
 * subclass.
 */
public abstract class AbstractChatMemoryStoreContractTests {

	protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	protected ChatMemoryStore store;

	protected ChatMemoryManager manager;

	/**
	 * Create a fresh, empty store.
	 * @param maxHistory the maximum messages per session the store keeps
	 * @return the store
	 */
	protected abstract ChatMemoryStore createStore(int maxHistory);

	protected SessionTransfer transfer;

	@BeforeEach
	void createManager() {
		useStore(createStore(100_000));
	}

	protected void useStore(ChatMemoryStore store) {
		this.store = store;
		this.manager = ChatMemoryManager.builder(store).clock(this.clock).build();
		this.transfer = new SessionTransfer(this.manager, 1024 * 1024, this.clock);
	}

	@Test
	void createsAndFindsSession() {
		ChatSession created = this.manager
			.createSession(new NewSession("s-1", "ada", "Trip to Chiang Mai", Map.of("lang", "th", "tags", List.of("a"))));
		ChatSession found = this.manager.getSession("s-1");
		assertThat(found).isEqualTo(created);
		assertThat(found.userId()).isEqualTo("ada");
		assertThat(found.title()).isEqualTo("Trip to Chiang Mai");
		assertThat(found.metadata()).containsEntry("lang", "th").containsEntry("tags", List.of("a"));
		assertThat(found.active()).isTrue();
		assertThat(found.createdAt()).isEqualTo(this.clock.instant());
		assertThat(found.messageCount()).isZero();
	}

	@Test
	void generatesSessionIdWhenNoneGiven() {
		ChatSession created = this.manager.createSession(NewSession.forUser("ada", null));
		assertThat(created.id()).isNotBlank();
		assertThat(created.title()).isEmpty();
		assertThat(this.manager.findSession(created.id())).contains(created);
	}

	@Test
	void rejectsDuplicateSessionId() {
		this.manager.createSession(new NewSession("s-1", "ada", "first", Map.of()));
		assertThatExceptionOfType(SessionAlreadyExistsException.class)
			.isThrownBy(() -> this.manager.createSession(new NewSession("s-1", "bob", "second", Map.of())));
		assertThat(this.manager.getSession("s-1").title()).isEqualTo("first");
	}

	@Test
	void roundTripsEveryRoleWithToolDataMetadataAndUnicode() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		List<NewMessage> messages = List.of(
				new NewMessage("m-sys", MessageRole.SYSTEM, "ตอบเป็นภาษาไทย 🙏", Map.of(), null, List.of(), List.of()),
				new NewMessage("m-user", MessageRole.USER, "สวัสดีครับ อากาศเป็นอย่างไร 🌧️👩🏽‍💻",
						Map.of("client", "web", "nested", Map.of("n", 1, "ok", true)), null, List.of(), List.of()),
				new NewMessage("m-call", MessageRole.ASSISTANT, "", Map.of(), "m-user",
						List.of(new ToolCall("call-1", "function", "weather", "{\"city\":\"กรุงเทพ\"}"),
								new ToolCall("call-2", "function", "time", "{}")),
						List.of()),
				new NewMessage("m-tool", MessageRole.TOOL, "", Map.of(), null, List.of(),
						List.of(new ToolResponse("call-1", "weather", "{\"temp\":31}"),
								new ToolResponse("call-2", "time", "\"12:00\""))),
				new NewMessage("m-answer", MessageRole.ASSISTANT, "ฝนตก 31°C ☔", Map.of("model", "demo"), "m-user",
						List.of(), List.of()));
		List<StoredMessage> stored = this.manager.appendMessages("s-1", messages);

		List<StoredMessage> read = this.manager.getRecentMessages("s-1", 10);
		assertThat(read).isEqualTo(stored);
		for (int i = 0; i < messages.size(); i++) {
			NewMessage given = messages.get(i);
			StoredMessage back = read.get(i);
			assertThat(back.id()).isEqualTo(given.id());
			assertThat(back.sessionId()).isEqualTo("s-1");
			assertThat(back.role()).isEqualTo(given.role());
			assertThat(back.content()).isEqualTo(given.content());
			assertThat(back.metadata()).isEqualTo(given.metadata());
			assertThat(back.responseTo()).isEqualTo(given.responseTo());
			assertThat(back.toolCalls()).isEqualTo(given.toolCalls());
			assertThat(back.toolResponses()).isEqualTo(given.toolResponses());
			assertThat(back.createdAt()).isEqualTo(this.clock.instant());
		}
		assertThat(this.manager.getSession("s-1").messageCount()).isEqualTo(5);
	}

	@Test
	void assignsStrictlyIncreasingSequencesInAppendOrder() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		for (int i = 0; i < 5; i++) {
			this.manager.appendMessages("s-1",
					List.of(NewMessage.of(MessageRole.USER, "q" + i), NewMessage.of(MessageRole.ASSISTANT, "a" + i)));
		}
		List<StoredMessage> read = this.manager.getRecentMessages("s-1", 100);
		assertThat(read).extracting(StoredMessage::content)
			.containsExactly("q0", "a0", "q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4");
		assertThat(read).extracting(StoredMessage::sequence).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void appendIsIdempotentByMessageId() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		StoredMessage first = this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "hello").withId("m-1"));
		this.clock.advance(Duration.ofSeconds(5));
		StoredMessage retried = this.manager.appendMessage("s-1",
				NewMessage.of(MessageRole.USER, "hello").withId("m-1"));
		assertThat(retried).isEqualTo(first);
		// issue 12 D15: the same id with another message is a conflict, not a silent no-op
		assertThatExceptionOfType(io.github.chatmemory.IdempotencyConflictException.class).isThrownBy(
				() -> this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "hello again").withId("m-1")));
		List<StoredMessage> batch = this.manager.appendMessages("s-1",
				List.of(NewMessage.of(MessageRole.ASSISTANT, "hi").withId("m-2"),
						NewMessage.of(MessageRole.ASSISTANT, "hi").withId("m-2")));
		assertThat(batch.get(1)).isEqualTo(batch.get(0));
		assertThat(this.manager.getSession("s-1").updatedAt()).isEqualTo(batch.get(0).createdAt());
		this.clock.advance(Duration.ofSeconds(5));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.ASSISTANT, "hi").withId("m-2"));
		// a retry of what is stored already changes nothing, not even the activity
		assertThat(this.manager.getSession("s-1").updatedAt()).isEqualTo(batch.get(0).createdAt());
		assertThat(this.manager.getRecentMessages("s-1", 10)).extracting(StoredMessage::content)
			.containsExactly("hello", "hi");
		assertThat(this.manager.getSession("s-1").messageCount()).isEqualTo(2);
	}

	@Test
	void pagesBeforeAndAfterASequence() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		List<NewMessage> messages = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			messages.add(NewMessage.of(MessageRole.USER, "m" + i));
		}
		List<StoredMessage> stored = this.manager.appendMessages("s-1", messages);
		long fifth = stored.get(4).sequence();

		assertThat(this.manager.getMessages("s-1", MessageQuery.latest(3))).extracting(StoredMessage::content)
			.containsExactly("m7", "m8", "m9");
		assertThat(this.manager.getMessages("s-1", MessageQuery.before(fifth, 3))).extracting(StoredMessage::content)
			.containsExactly("m1", "m2", "m3");
		assertThat(this.manager.getMessages("s-1", MessageQuery.after(fifth, 3))).extracting(StoredMessage::content)
			.containsExactly("m5", "m6", "m7");
		assertThat(this.manager.getMessages("s-1", MessageQuery.after(0, 4))).extracting(StoredMessage::content)
			.containsExactly("m0", "m1", "m2", "m3");
		assertThat(this.manager.getMessages("s-1", MessageQuery.before(stored.get(0).sequence(), 3))).isEmpty();
		assertThat(this.manager.getMessages("s-1", MessageQuery.after(stored.get(9).sequence(), 3))).isEmpty();
		assertThat(this.manager.getAllMessages("s-1")).isEqualTo(stored);
	}

	@Test
	void clearRemovesMessagesAndKeepsSessionAndSequences() {
		this.manager.createSession(new NewSession("s-1", "ada", "kept", Map.of()));
		StoredMessage before = this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "old").withId("m-1"));
		this.manager.clearMessages("s-1");
		assertThat(this.manager.getRecentMessages("s-1", 10)).isEmpty();
		assertThat(this.manager.getSession("s-1").messageCount()).isZero();
		assertThat(this.manager.getSession("s-1").title()).isEqualTo("kept");
		StoredMessage after = this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "new").withId("m-1"));
		assertThat(after.content()).isEqualTo("new");
		assertThat(after.sequence()).isGreaterThan(before.sequence());
	}

	@Test
	void deleteRemovesSessionMessagesAndListing() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "hi"));
		assertThat(this.manager.deleteSession("s-1")).isTrue();
		assertThat(this.manager.findSession("s-1")).isEmpty();
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.manager.getRecentMessages("s-1", 10));
		assertThat(this.manager.listSessions("ada", 0, 10).items()).isEmpty();
		assertThat(this.manager.listSessionIds(10)).doesNotContain("s-1");
		assertThat(this.manager.deleteSession("s-1")).isFalse();
	}

	@Test
	void listsUserSessionsNewestActivityFirstAndPaged() {
		for (int i = 0; i < 5; i++) {
			this.manager.createSession(new NewSession("s-" + i, "ada", "t" + i, Map.of()));
			this.clock.advance(Duration.ofSeconds(1));
		}
		this.manager.createSession(new NewSession("other", "bob", null, Map.of()));
		this.clock.advance(Duration.ofSeconds(1));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "bump"));

		PagedResult<ChatSession> first = this.manager.listSessions("ada", 0, 2);
		assertThat(first.items()).extracting(ChatSession::id).containsExactly("s-1", "s-4");
		assertThat(first.totalItems()).isEqualTo(5);
		assertThat(first.hasNext()).isTrue();
		PagedResult<ChatSession> last = this.manager.listSessions("ada", 2, 2);
		assertThat(last.items()).extracting(ChatSession::id).containsExactly("s-0");
		assertThat(last.hasNext()).isFalse();
		assertThat(this.manager.listSessions("nobody", 0, 2).items()).isEmpty();
		assertThat(this.manager.listSessionIds(2)).containsExactly("s-1", "other");
	}

	@Test
	void renameAndSwitchCountAsActivity() {
		this.manager.createSession(new NewSession("s-1", "ada", "old", Map.of()));
		this.clock.advance(Duration.ofMinutes(1));
		ChatSession renamed = this.manager.renameSession("s-1", "new");
		assertThat(renamed.title()).isEqualTo("new");
		assertThat(renamed.updatedAt()).isEqualTo(this.clock.instant());
		assertThat(this.manager.getSession("s-1")).isEqualTo(renamed);
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.manager.renameSession("missing", "x"));
	}

	@Test
	void deactivatedSessionIsReadableButRejectsAppendsUntilActivated() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "before"));
		assertThat(this.manager.deactivateSession("s-1").active()).isFalse();
		assertThatExceptionOfType(SessionInactiveException.class)
			.isThrownBy(() -> this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "during")));
		assertThatExceptionOfType(SessionInactiveException.class)
			.isThrownBy(() -> this.manager.replaceMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "x"))));
		assertThat(this.manager.getRecentMessages("s-1", 10)).extracting(StoredMessage::content)
			.containsExactly("before");
		assertThat(this.manager.activateSession("s-1").active()).isTrue();
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "after"));
		assertThat(this.manager.getRecentMessages("s-1", 10)).extracting(StoredMessage::content)
			.containsExactly("before", "after");
	}

	@Test
	void appendToMissingSessionFailsUnlessAskedToCreateIt() {
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.manager.appendMessage("s-new", NewMessage.of(MessageRole.USER, "hi")));
		assertThat(this.manager.findSession("s-new")).isEmpty();
		this.manager.appendMessages("s-new", List.of(NewMessage.of(MessageRole.USER, "hi")), true);
		ChatSession created = this.manager.getSession("s-new");
		assertThat(created.userId()).isNull();
		assertThat(created.messageCount()).isEqualTo(1);
		assertThat(created.active()).isTrue();
	}

	@Test
	void replaceMessagesSwapsTheWholeHistory() {
		this.manager.appendMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "a"),
				NewMessage.of(MessageRole.SYSTEM, "old system")), true);
		List<StoredMessage> replaced = this.manager.replaceMessages("s-1",
				List.of(NewMessage.of(MessageRole.USER, "b"), NewMessage.of(MessageRole.ASSISTANT, "c")));
		assertThat(this.manager.getRecentMessages("s-1", 10)).isEqualTo(replaced);
		assertThat(this.store.readRecent("s-1", 1).latestSystemMessage()).isNull();
		this.manager.replaceMessages("s-1", List.of());
		assertThat(this.manager.getSession("s-1").messageCount()).isZero();
	}

	@Test
	void recentMessagesCarryCountAndNewestSystemMessage() {
		this.manager.appendMessages("s-1", List.of(NewMessage.of(MessageRole.SYSTEM, "first rules"),
				NewMessage.of(MessageRole.SYSTEM, "current rules"), NewMessage.of(MessageRole.USER, "q1"),
				NewMessage.of(MessageRole.ASSISTANT, "a1"), NewMessage.of(MessageRole.USER, "q2")), true);
		RecentMessages recent = this.store.readRecent("s-1", 2);
		assertThat(recent.exists()).isTrue();
		assertThat(recent.messageCount()).isEqualTo(5);
		assertThat(recent.latestSystemMessage().content()).isEqualTo("current rules");
		assertThat(recent.messages()).extracting(StoredMessage::content).containsExactly("a1", "q2");
		RecentMessages all = this.store.readRecent("s-1", 10);
		assertThat(all.latestSystemMessage().content()).isEqualTo("current rules");
		assertThat(all.messages()).hasSize(5);
		assertThat(this.store.readRecent("missing", 2).exists()).isFalse();
	}

	@Test
	void trimsOldestMessagesBeyondMaxHistoryAndForgetsTheirIds() {
		useStore(createStore(3));
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		for (int i = 0; i < 5; i++) {
			this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "m" + i).withId("id-" + i));
		}
		assertThat(this.manager.getRecentMessages("s-1", 10)).extracting(StoredMessage::content)
			.containsExactly("m2", "m3", "m4");
		assertThat(this.manager.getSession("s-1").messageCount()).isEqualTo(3);
		StoredMessage again = this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "again").withId("id-0"));
		assertThat(again.content()).isEqualTo("again");
	}

	@Test
	void invalidInputIsRejectedWithTheFieldAndChangesNothing() {
		this.manager.createSession(new NewSession("s-1", "ada", "title", Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "kept"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.manager.createSession(new NewSession("bad{id}", "ada", null, Map.of())))
			.withMessageContaining("id");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.manager.createSession(new NewSession(null, "ada smith", null, Map.of())))
			.withMessageContaining("userId");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.manager.appendMessages("s-1",
					List.of(NewMessage.of(MessageRole.USER, "fine"),
							NewMessage.of(MessageRole.USER, "x".repeat(100_001)))))
			.withMessageContaining("messages[1].content");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.manager.appendMessage("s-1",
					NewMessage.of(MessageRole.USER, "fine").withMetadata(Map.of("big", "y".repeat(20_000)))))
			.withMessageContaining("messages[0].metadata");
		assertThatIllegalArgumentException()
			// ':' is allowed since issue 13 (Spring AI ids such as user:42); a '/' never is
			.isThrownBy(() -> this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "x").withId("a/b")))
			.withMessageContaining("messages[0].id");
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.getRecentMessages("s-1", 0))
			.withMessageContaining("limit");
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.listSessions("ada", -1, 10))
			.withMessageContaining("page");
		assertThat(this.manager.getRecentMessages("s-1", 10)).extracting(StoredMessage::content).containsExactly("kept");
		assertThat(this.manager.listSessions("ada", 0, 10).items()).hasSize(1);
	}

	@Test
	void concurrentAppendersThroughChatMemoryLoseNothingAndKeepEachThreadsOrder() throws Exception {
		int threads = 8;
		int perThread = 200;
		ChatMemory chatMemory = new StoreBackedChatMemory(this.manager);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int thread = t;
			futures.add(executor.submit(() -> {
				start.await();
				for (int i = 0; i < perThread; i++) {
					chatMemory.add("shared", new UserMessage(thread + ":" + i));
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : futures) {
			future.get(2, TimeUnit.MINUTES);
		}
		executor.shutdown();

		List<StoredMessage> all = this.manager.getAllMessages("shared");
		assertThat(all).hasSize(threads * perThread);
		assertThat(all).extracting(StoredMessage::sequence).isSorted().doesNotHaveDuplicates();
		int[] next = new int[threads];
		for (StoredMessage message : all) {
			String[] parts = message.content().split(":");
			int thread = Integer.parseInt(parts[0]);
			assertThat(Integer.parseInt(parts[1])).as("order of thread %d", thread).isEqualTo(next[thread]);
			next[thread]++;
		}
		assertThat(next).containsOnly(perThread);
		List<Message> window = chatMemory.get("shared");
		assertThat(window).hasSize(20);
	}

	@Test
	void searchFindsCaseInsensitiveMatchesInThaiEmojiAndLatinNewestFirst() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessages("s-1",
				List.of(NewMessage.of(MessageRole.USER, "ฉันชอบกินข้าวผัดมาก"), NewMessage.of(MessageRole.ASSISTANT,
						"Fried RICE is great 🍚🙂"), NewMessage.of(MessageRole.USER, "nothing here"),
						NewMessage.of(MessageRole.USER, "more fried rice 🍚 please")));

		SearchResult thai = this.manager.searchSession("s-1", "ข้าวผัด", 0, 10);
		assertThat(thai.hits()).singleElement().satisfies((hit) -> {
			assertThat(hit.sessionId()).isEqualTo("s-1");
			assertThat(hit.snippet()).isEqualTo("ฉันชอบกินข้าวผัดมาก");
			assertThat(hit.snippet().substring(hit.matchStart() - hit.snippetStart(), hit.matchEnd() - hit.snippetStart()))
				.isEqualTo("ข้าวผัด");
		});
		SearchResult rice = this.manager.searchSession("s-1", "fried rice", 0, 10);
		assertThat(rice.hits()).extracting(SearchHit::snippet)
			.containsExactly("more fried rice 🍚 please", "Fried RICE is great 🍚🙂");
		assertThat(rice.hits().get(1).snippet()).contains("Fried RICE");
		assertThat(this.manager.searchSession("s-1", "🍚", 0, 10).hits()).hasSize(2);
		SearchResult paged = this.manager.searchSession("s-1", "🍚", 1, 1);
		assertThat(paged.hits()).extracting(SearchHit::snippet).containsExactly("Fried RICE is great 🍚🙂");
		assertThat(this.manager.searchSession("s-1", "absent", 0, 10).hits()).isEmpty();
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.manager.searchSession("missing", "x", 0, 10));
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.searchSession("s-1", "  ", 0, 10))
			.withMessageContaining("query");
	}

	@Test
	void searchAcrossAUsersSessionsIsNewestFirstAndStaysWithTheUser() {
		this.manager.createSession(new NewSession("a-1", "ada", null, Map.of()));
		this.manager.createSession(new NewSession("a-2", "ada", null, Map.of()));
		this.manager.createSession(new NewSession("b-1", "bob", null, Map.of()));
		this.manager.appendMessage("a-1", NewMessage.of(MessageRole.USER, "Kyoto trip, day one"));
		this.clock.advance(Duration.ofMinutes(1));
		this.manager.appendMessage("b-1", NewMessage.of(MessageRole.USER, "Kyoto for bob"));
		this.clock.advance(Duration.ofMinutes(1));
		this.manager.appendMessage("a-2", NewMessage.of(MessageRole.USER, "kyoto hotels"));
		this.clock.advance(Duration.ofMinutes(1));
		this.manager.appendMessage("a-1", NewMessage.of(MessageRole.ASSISTANT, "Back to KYOTO, day two"));

		SearchResult result = this.manager.searchUserSessions("ada", "kyoto", 0, 10);
		assertThat(result.hits()).extracting(SearchHit::snippet)
			.containsExactly("Back to KYOTO, day two", "kyoto hotels", "Kyoto trip, day one");
		assertThat(result.hits()).extracting(SearchHit::sessionId).containsExactly("a-1", "a-2", "a-1");
		assertThat(this.manager.searchUserSessions("ada", "kyoto", 1, 2).hits()).extracting(SearchHit::sessionId)
			.containsExactly("a-1");
		assertThat(this.manager.searchUserSessions("nobody", "kyoto", 0, 10).hits()).isEmpty();
	}

	@Test
	void aUserCannotCreateOrImportMoreSessionsThanTheLimit() {
		ChatMemoryManager limited = ChatMemoryManager.builder(this.store).clock(this.clock).maxSessionsPerUser(2).build();
		limited.createSession(new NewSession("a-1", "ada", null, Map.of()));
		limited.createSession(new NewSession("a-2", "ada", null, Map.of()));
		assertThatExceptionOfType(io.github.chatmemory.ChatMemoryValidationException.class)
			.isThrownBy(() -> limited.createSession(new NewSession("a-3", "ada", null, Map.of())))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("userId"))
			.withMessageContaining("limit of 2 sessions");
		assertThat(this.store.findSession("a-3")).isEmpty();
		limited.createSession(new NewSession("b-1", "bob", null, Map.of()));

		// replacing one's own session by import adds none; importing a new one is refused
		SessionSnapshot own = limited.exportSession("a-1");
		limited.importSession(own, true);
		ChatSession copy = new ChatSession("a-9", "ada", "", Map.of(), true, own.session().createdAt(),
				own.session().updatedAt(), 0);
		assertThatExceptionOfType(io.github.chatmemory.ChatMemoryValidationException.class)
			.isThrownBy(() -> limited.importSession(new SessionSnapshot(copy, List.of()), false))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("session.userId"));
		assertThat(this.store.findSession("a-9")).isEmpty();

		limited.deleteSession("a-2");
		limited.createSession(new NewSession("a-3", "ada", null, Map.of()));
		assertThat(limited.listSessions("ada", 0, 10).totalItems()).isEqualTo(2);
	}

	@Test
	void searchStopsAtItsScanLimitAndSaysSo() {
		ChatMemoryManager limited = ChatMemoryManager.builder(this.store).maxScannedMessages(3).build();
		limited.createSession(new NewSession("s-1", "ada", null, Map.of()));
		limited.appendMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "needle"),
				NewMessage.of(MessageRole.USER, "hay"), NewMessage.of(MessageRole.USER, "hay"),
				NewMessage.of(MessageRole.USER, "hay")));
		SearchResult result = limited.searchSession("s-1", "needle", 0, 10);
		assertThat(result.hits()).isEmpty();
		assertThat(result.scannedMessages()).isEqualTo(3);
		assertThat(result.scanLimitReached()).isTrue();
	}

	@Test
	void exportThenImportRoundTripsASessionLosslessly() {
		this.manager.createSession(new NewSession("s-1", "ada", "Trip ✈️", Map.of("pinned", true, "n", 3)));
		this.manager.appendMessages("s-1", List.of(NewMessage.of(MessageRole.SYSTEM, "be kind"),
				new NewMessage("q-1", MessageRole.USER, "สวัสดี 👋", Map.of("client", "web"), null, List.of(), List.of()),
				new NewMessage("call", MessageRole.ASSISTANT, "", Map.of(), "q-1",
						List.of(new ToolCall("c1", "function", "weather", "{\"city\":\"Pai\"}")), List.of()),
				new NewMessage("resp", MessageRole.TOOL, "", Map.of(), null, List.of(),
						List.of(new ToolResponse("c1", "weather", "{\"temp\":24}")))));
		this.clock.advance(Duration.ofMinutes(5));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.ASSISTANT, "24°C"));
		this.manager.deactivateSession("s-1");
		SessionSnapshot original = this.manager.exportSession("s-1");

		String json = this.transfer.exportJson("s-1");
		assertThat(json).contains("\"format\" : \"chat-memory-session\"").contains("\"version\" : 1")
			.contains("\"tool_calls\"").contains("\"response_data\"");
		this.manager.deleteSession("s-1");
		ChatSession imported = this.transfer.importJson(json, ImportOptions.keepId());

		// the version is the store's count of writes, not part of the document
		assertThat(imported).usingRecursiveComparison().ignoringFields("version").isEqualTo(original.session());
		assertThat(this.manager.exportSession("s-1")).isEqualTo(original);
		assertThat(this.manager.getSession("s-1").active()).isFalse();
		assertThat(this.manager.listSessions("ada", 0, 10).items()).singleElement()
			.usingRecursiveComparison()
			.ignoringFields("version")
			.isEqualTo(original.session());

		ChatSession copy = this.transfer.importJson(json, ImportOptions.as("s-copy"));
		SessionSnapshot copied = this.manager.exportSession("s-copy");
		assertThat(copied.session()).usingRecursiveComparison().ignoringFields("version").isEqualTo(copy);
		assertThat(copied.messages()).extracting(StoredMessage::sequence, StoredMessage::id, StoredMessage::content,
				StoredMessage::createdAt)
			.isEqualTo(original.messages().stream().map((m) -> org.assertj.core.groups.Tuple.tuple(m.sequence(), m.id(),
					m.content(), m.createdAt())).toList());
		ChatSession fresh = this.transfer.importJson(json, ImportOptions.newId());
		assertThat(fresh.id()).isNotIn("s-1", "s-copy");
		assertThat(fresh.messageCount()).isEqualTo(5);
	}

	@Test
	void importIntoAnExistingIdIsAConflictUnlessReplacing() {
		this.manager.createSession(new NewSession("s-1", "ada", "original", Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "keep me"));
		String json = this.transfer.exportJson("s-1");
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "added later"));
		this.manager.renameSession("s-1", "renamed");

		assertThatExceptionOfType(SessionAlreadyExistsException.class)
			.isThrownBy(() -> this.transfer.importJson(json, ImportOptions.keepId()));
		assertThat(this.manager.getSession("s-1").title()).isEqualTo("renamed");
		assertThat(this.manager.getSession("s-1").messageCount()).isEqualTo(2);

		this.transfer.importJson(json, ImportOptions.keepId().replacingExisting());
		assertThat(this.manager.getSession("s-1").title()).isEqualTo("original");
		assertThat(this.manager.getAllMessages("s-1")).extracting(StoredMessage::content).containsExactly("keep me");
		assertThat(this.manager.getStatistics().messages()).isEqualTo(1);
	}

	@Test
	void invalidOrOversizedImportDocumentsChangeNothing() {
		this.manager.createSession(new NewSession("s-1", "ada", "title", Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "hello"));
		String valid = this.transfer.exportJson("s-1");
		SessionSnapshot before = this.manager.exportSession("s-1");
		ChatMemoryStatistics statsBefore = this.manager.getStatistics();
		Map<String, String> invalid = new java.util.LinkedHashMap<>();
		invalid.put("not JSON", "{\"format\": ");
		invalid.put("format", valid.replace("chat-memory-session", "other-format"));
		// version 2 adds media, 3 summaries; a version this code does not know is refused
		invalid.put("version", valid.replace("\"version\" : 1", "\"version\" : 4"));
		invalid.put("role", valid.replace("\"USER\"", "\"ROBOT\""));
		invalid.put("messages[0].sequence", valid.replaceFirst("\"sequence\" : 1", "\"sequence\" : -1"));
		invalid.put("messages[0].id", valid.replaceFirst("\"id\" : \"[^\"]+\",\n *\"sequence\"",
				"\"id\" : \"bad id}\",\"sequence\""));
		invalid.put("unknown field", valid.replaceFirst("\\{", "{\"surprise\": 1,"));
		// a ":" is allowed in ids since issue 13; a "/" never is
		invalid.put("session.id", valid.replace("\"id\" : \"s-1\"", "\"id\" : \"a/b\""));
		invalid.put("sequence type", valid.replaceFirst("\"sequence\" : 1", "\"sequence\" : \"one\""));
		invalid.put("content", valid.replace("\"hello\"", "\"" + "x".repeat(100_001) + "\""));
		for (Map.Entry<String, String> entry : invalid.entrySet()) {
			if (!entry.getKey().equals("session.id")) {
				// imported under another id, the document's own session id does not matter
				assertThatIllegalArgumentException().as(entry.getKey())
					.isThrownBy(() -> this.transfer.importJson(entry.getValue(),
							ImportOptions.as("s-new").replacingExisting()));
			}
			assertThatIllegalArgumentException().as(entry.getKey())
				.isThrownBy(() -> this.transfer.importJson(entry.getValue(), ImportOptions.keepId().replacingExisting()));
		}
		SessionTransfer small = new SessionTransfer(this.manager, 100, this.clock);
		assertThatExceptionOfType(ImportTooLargeException.class)
			.isThrownBy(() -> small.importJson(valid, ImportOptions.keepId().replacingExisting()))
			.withMessageContaining("at most 100 bytes");

		assertThat(this.manager.exportSession("s-1")).isEqualTo(before);
		assertThat(this.manager.findSession("s-new")).isEmpty();
		assertThat(this.manager.getStatistics()).isEqualTo(statsBefore);
	}

	@Test
	void statisticsAgreeWithTheDataAfterAMixedWorkload() {
		useStore(createStore(5));
		this.manager.createSession(new NewSession("a-1", "ada", null, Map.of()));
		this.manager.createSession(new NewSession("a-2", "ada", null, Map.of()));
		this.manager.createSession(new NewSession("b-1", "bob", null, Map.of()));
		this.manager.createSession(new NewSession("c-1", "cy", null, Map.of()));
		this.manager.appendMessages("a-1", List.of(NewMessage.of(MessageRole.USER, "1").withId("m1"),
				NewMessage.of(MessageRole.USER, "1").withId("m1"), NewMessage.of(MessageRole.USER, "2")));
		for (int i = 0; i < 7; i++) {
			this.manager.appendMessage("a-2", NewMessage.of(MessageRole.USER, "trimmed to 5: " + i));
		}
		this.manager.appendMessages("b-1", List.of(NewMessage.of(MessageRole.USER, "x"),
				NewMessage.of(MessageRole.USER, "y")));
		this.manager.clearMessages("b-1");
		this.manager.appendMessage("b-1", NewMessage.of(MessageRole.USER, "z"));
		this.manager.appendMessages("anon", List.of(NewMessage.of(MessageRole.USER, "from ChatMemory")), true);
		this.manager.replaceMessages("anon", List.of(NewMessage.of(MessageRole.USER, "r1"),
				NewMessage.of(MessageRole.USER, "r2")));
		this.manager.deactivateSession("a-2");
		this.manager.deactivateSession("c-1");
		this.manager.appendMessage("a-1", NewMessage.of(MessageRole.USER, "3"));
		this.manager.deleteSession("c-1");
		this.transfer.importJson(this.transfer.exportJson("a-1"), ImportOptions.as("a-3"));

		ChatMemoryStatistics stats = this.manager.getStatistics();
		List<String> ids = this.manager.listSessionIds(100);
		long messages = 0;
		long active = 0;
		Set<String> users = new HashSet<>();
		for (String id : ids) {
			ChatSession session = this.manager.getSession(id);
			messages += this.manager.getAllMessages(id).size();
			active += session.active() ? 1 : 0;
			if (session.userId() != null) {
				users.add(session.userId());
			}
		}
		assertThat(ids).containsExactlyInAnyOrder("a-1", "a-2", "a-3", "b-1", "anon");
		assertThat(stats.storeType()).isEqualTo(this.store.type());
		assertThat(stats.sessions()).isEqualTo(ids.size());
		assertThat(stats.activeSessions()).isEqualTo(active).isEqualTo(4);
		assertThat(stats.messages()).isEqualTo(messages).isEqualTo(3 + 5 + 3 + 1 + 2);
		assertThat(stats.users()).isEqualTo(users.size()).isEqualTo(2);
		assertThat(stats.lastRetention()).isNull();
	}

	@Test
	void statisticsListingsAndIdsStayExactUnderConcurrentWritersRetriesAndRaces() throws Exception {
		// issue 12 B5: index and counter updates lost or doubled by races, retries and deletes
		int threads = 6;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		ChatMemory chatMemory = new StoreBackedChatMemory(this.manager);
		for (int t = 0; t < threads; t++) {
			long seed = 42 + t;
			futures.add(executor.submit(() -> {
				java.util.Random random = new java.util.Random(seed);
				start.await();
				for (int i = 0; i < 150; i++) {
					String id = "s-" + random.nextInt(12);
					String user = "u-" + random.nextInt(3);
					try {
						switch (random.nextInt(9)) {
							case 0 -> this.manager.createSession(new NewSession(id, user, null, Map.of()));
							case 1, 2 -> this.manager.appendMessage(id,
									NewMessage.of(MessageRole.USER, "m").withId("m-" + random.nextInt(20)));
							case 3 -> this.manager.deleteSession(id);
							case 4 -> this.manager.importSession(new SessionSnapshot(
									new ChatSession(id, user, "imported", Map.of(), random.nextBoolean(),
											this.clock.instant(), this.clock.instant(), 0),
									List.of()), true);
							case 5 -> this.manager.setActive(id, random.nextBoolean(), null);
							case 6 -> this.manager.clearMessages(id);
							case 7 -> chatMemory.add("anon-" + random.nextInt(3), new UserMessage("hi"));
							default -> this.manager.deleteSession("anon-" + random.nextInt(3));
						}
					}
					catch (io.github.chatmemory.SessionException ex) {
						// conflicts, missing and inactive sessions are part of the workload
					}
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : futures) {
			future.get(60, TimeUnit.SECONDS);
		}
		executor.shutdown();

		long sessions = 0;
		long active = 0;
		long messages = 0;
		Map<String, Set<String>> byUser = new java.util.HashMap<>();
		Set<String> live = new HashSet<>();
		List<String> candidates = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			candidates.add("s-" + i);
		}
		for (int i = 0; i < 3; i++) {
			candidates.add("anon-" + i);
		}
		for (String id : candidates) {
			java.util.Optional<ChatSession> found = this.manager.findSession(id);
			if (found.isEmpty()) {
				continue;
			}
			ChatSession session = found.get();
			live.add(id);
			sessions++;
			active += session.active() ? 1 : 0;
			messages += this.manager.getAllMessages(id).size();
			assertThat(session.messageCount()).isEqualTo(this.manager.getAllMessages(id).size());
			if (session.userId() != null) {
				byUser.computeIfAbsent(session.userId(), (user) -> new HashSet<>()).add(id);
			}
		}
		ChatMemoryStatistics stats = this.manager.getStatistics();
		assertThat(stats.sessions()).isEqualTo(sessions);
		assertThat(stats.activeSessions()).isEqualTo(active);
		assertThat(stats.messages()).isEqualTo(messages);
		assertThat(stats.users()).isEqualTo(byUser.size());
		assertThat(this.manager.listSessionIds(100)).containsExactlyInAnyOrderElementsOf(live);
		for (int u = 0; u < 3; u++) {
			String user = "u-" + u;
			PagedResult<ChatSession> listed = this.manager.listSessions(user, 0, 100);
			assertThat(listed.items()).extracting(ChatSession::id)
				.containsExactlyInAnyOrderElementsOf(byUser.getOrDefault(user, Set.of()));
			assertThat(listed.totalItems()).isEqualTo(byUser.getOrDefault(user, Set.of()).size());
		}
	}

	@Test
	void writesForAUserCheckTheOwnerInTheSameStepAsTheWrite() {
		// issue 12 C11: the owner is checked by the store's atomic write, not before it
		this.manager.createSession(new NewSession("s-1", "ada", "ada's", Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "ada's secret").withId("m-1"));
		this.manager.appendMessages("anon", List.of(NewMessage.of(MessageRole.USER, "nobody's")), true);
		ChatSession before = this.manager.getSession("s-1");
		for (String id : List.of("s-1", "anon")) {
			assertThatExceptionOfType(SessionNotFoundException.class).isThrownBy(() -> this.manager
				.appendMessages(id, List.of(NewMessage.of(MessageRole.USER, "bob was here")), false, "bob"));
			assertThatExceptionOfType(SessionNotFoundException.class)
				.isThrownBy(() -> this.manager.renameSession(id, "bob's", "bob"));
			assertThatExceptionOfType(SessionNotFoundException.class)
				.isThrownBy(() -> this.manager.setActive(id, false, "bob"));
			assertThatExceptionOfType(SessionNotFoundException.class)
				.isThrownBy(() -> this.manager.clearMessages(id, "bob"));
			assertThat(this.manager.deleteSession(id, "bob")).isFalse();
			SessionSnapshot bobs = new SessionSnapshot(new ChatSession(id, "bob", "bob's", Map.of(), true,
					this.clock.instant(), this.clock.instant(), 0), List.of());
			assertThatExceptionOfType(SessionNotFoundException.class)
				.isThrownBy(() -> this.manager.importSession(bobs, true, "bob"));
		}
		assertThat(this.manager.getSession("s-1")).isEqualTo(before);
		assertThat(this.manager.getAllMessages("s-1")).extracting(StoredMessage::content)
			.containsExactly("ada's secret");
		assertThat(this.manager.getAllMessages("anon")).extracting(StoredMessage::content).containsExactly("nobody's");
		assertThat(this.manager.listSessions("bob", 0, 10).items()).isEmpty();

		assertThat(this.manager.renameSession("s-1", "renamed", "ada").title()).isEqualTo("renamed");
		this.manager.appendMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "ada again")), false, "ada");
		this.manager.clearMessages("s-1", "ada");
		assertThat(this.manager.deleteSession("s-1", "ada")).isTrue();
	}

	@Test
	void aReplacingImportNeverTakesOverASessionThatAnotherUserCreatesMeanwhile() throws Exception {
		// issue 12 C11: import with replace checked the owner, then wrote in a separate step
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 100; round++) {
				String id = "race-" + round;
				CountDownLatch start = new CountDownLatch(1);
				Future<Boolean> ada = executor.submit(() -> {
					start.await();
					try {
						this.manager.createSession(new NewSession(id, "ada", "ada's", Map.of()));
					}
					catch (SessionAlreadyExistsException ex) {
						return false;
					}
					this.manager.appendMessages(id, List.of(NewMessage.of(MessageRole.USER, "ada")), false, "ada");
					return true;
				});
				Future<?> bob = executor.submit(() -> {
					start.await();
					StoredMessage bobs = new StoredMessage("b", id, 1, MessageRole.USER, "bob", Map.of(), null,
							List.of(), List.of(), this.clock.instant());
					try {
						this.manager.importSession(new SessionSnapshot(new ChatSession(id, "bob", "bob's", Map.of(),
								true, this.clock.instant(), this.clock.instant(), 1), List.of(bobs)), true, "bob");
					}
					catch (SessionNotFoundException ex) {
						// ada's session
					}
					return null;
				});
				start.countDown();
				boolean adaCreated = ada.get(10, TimeUnit.SECONDS);
				bob.get(10, TimeUnit.SECONDS);
				ChatSession session = this.manager.getSession(id);
				assertThat(session.userId()).as("owner of %s", id).isEqualTo(adaCreated ? "ada" : "bob");
				assertThat(this.manager.getAllMessages(id)).extracting(StoredMessage::content)
					.as("every message of %s is its owner's", id)
					.containsOnly(session.userId());
				assertThat(this.manager.listSessions(session.userId(), 0, 200).items()).extracting(ChatSession::id)
					.contains(id);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aKnownIdWithAnotherMessageRefusesTheWholeBatchBeforeWritingAnything() {
		// issue 12 D15: the conflict was found after the batch's new messages were stored
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "hello").withId("m-1"));
		ChatSession before = this.manager.getSession("s-1");
		this.clock.advance(Duration.ofSeconds(5));
		assertThatExceptionOfType(io.github.chatmemory.IdempotencyConflictException.class)
			.isThrownBy(() -> this.store.append("s-1", List.of(NewMessage.of(MessageRole.USER, "new").withId("m-2"),
					NewMessage.of(MessageRole.USER, "changed").withId("m-1")), false, null));
		assertThatExceptionOfType(io.github.chatmemory.IdempotencyConflictException.class)
			.isThrownBy(() -> this.store.append("s-1", List.of(NewMessage.of(MessageRole.USER, "x").withId("m-3"),
					NewMessage.of(MessageRole.USER, "y").withId("m-3")), false, null));
		assertThat(this.manager.getAllMessages("s-1")).extracting(StoredMessage::id).containsExactly("m-1");
		assertThat(this.manager.getSession("s-1")).isEqualTo(before);
		// metadata in another key order is the same message
		this.manager.appendMessage("s-1", new NewMessage("m-4", MessageRole.USER, "meta",
				new java.util.LinkedHashMap<>(Map.of("a", 1)), null, List.of(), List.of()));
		java.util.LinkedHashMap<String, Object> reordered = new java.util.LinkedHashMap<>();
		reordered.put("b", 2);
		reordered.put("a", 1);
		java.util.LinkedHashMap<String, Object> ordered = new java.util.LinkedHashMap<>();
		ordered.put("a", 1);
		ordered.put("b", 2);
		this.manager.appendMessage("s-1",
				new NewMessage("m-5", MessageRole.USER, "meta", ordered, null, List.of(), List.of()));
		assertThat(this.manager.appendMessage("s-1",
				new NewMessage("m-5", MessageRole.USER, "meta", reordered, null, List.of(), List.of())).id())
			.isEqualTo("m-5");
	}

	@Test
	void aRefusedBatchLeavesNoNewSessionBehind() {
		// second review of issue 12: the in-memory store created the session before checking the batch
		assertThatExceptionOfType(io.github.chatmemory.ChatMemoryValidationException.class)
			.isThrownBy(() -> this.store.append("new", List.of(new NewMessage("m-1", MessageRole.USER, "hi", Map.of(),
					"nope", List.of(), List.of())), true, null));
		assertThat(this.manager.findSession("new")).isEmpty();
		assertThatExceptionOfType(io.github.chatmemory.IdempotencyConflictException.class)
			.isThrownBy(() -> this.store.replaceMessages("new-2", List.of(NewMessage.of(MessageRole.USER, "x").withId("m"),
					NewMessage.of(MessageRole.USER, "y").withId("m"))));
		assertThat(this.manager.findSession("new-2")).isEmpty();
	}

	@Test
	void theLastPageNumberHasNoNextPage() {
		// issue 12 B7: has_next overflowed at page Integer.MAX_VALUE
		for (int i = 0; i < 3; i++) {
			this.manager.createSession(new NewSession("s-" + i, "ada", null, Map.of()));
		}
		PagedResult<ChatSession> last = this.manager.listSessions("ada", Integer.MAX_VALUE, 10);
		assertThat(last.items()).isEmpty();
		assertThat(last.hasNext()).isFalse();
		assertThat(last.totalItems()).isEqualTo(3);
		assertThat(this.manager.listSessions("ada", 0, 2).hasNext()).isTrue();
		assertThat(this.manager.listSessions("ada", 1, 2).hasNext()).isFalse();
	}

	@Test
	void cleanupDeletesSessionsInactiveForLongerThanTheAgeEverywhere() {
		this.manager.createSession(new NewSession("old-1", "ada", null, Map.of()));
		this.manager.appendMessage("old-1", NewMessage.of(MessageRole.USER, "old"));
		this.manager.createSession(new NewSession("old-2", "bob", null, Map.of()));
		this.manager.createSession(new NewSession("revived", "ada", null, Map.of()));
		this.clock.advance(Duration.ofDays(10));
		this.manager.appendMessage("revived", NewMessage.of(MessageRole.USER, "still here"));
		this.clock.advance(Duration.ofMinutes(1));
		this.manager.createSession(new NewSession("new", "ada", null, Map.of()));
		this.clock.advance(Duration.ofDays(3));

		long deleted = this.manager.cleanupOlderThan(Duration.ofDays(7));

		assertThat(deleted).isEqualTo(2);
		assertThat(this.manager.findSession("old-1")).isEmpty();
		assertThat(this.manager.findSession("old-2")).isEmpty();
		assertThat(this.manager.listSessions("ada", 0, 10).items()).extracting(ChatSession::id)
			.containsExactly("new", "revived");
		assertThat(this.manager.listSessions("bob", 0, 10).items()).isEmpty();
		assertThat(this.manager.listSessionIds(10)).containsExactlyInAnyOrder("new", "revived");
		ChatMemoryStatistics stats = this.manager.getStatistics();
		assertThat(stats.sessions()).isEqualTo(2);
		assertThat(stats.users()).isEqualTo(1);
		assertThat(stats.messages()).isEqualTo(1);
		assertThat(stats.lastRetention()).isEqualTo(new RetentionRun(this.clock.instant(),
				this.clock.instant().minus(Duration.ofDays(7)), 2));
		assertThat(this.manager.cleanupOlderThan(Duration.ofDays(7))).isZero();
	}

	@Test
	void readingBeforeTheFirstSequenceGivesNothing() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "hi"));
		assertThat(this.manager.getMessages("s-1", MessageQuery.before(0, 10))).isEmpty();
		assertThat(this.manager.getMessages("s-1", MessageQuery.after(0, 10))).hasSize(1);
	}

	@Test
	void clearingCountsAsActivity() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.clock.advance(Duration.ofMinutes(1));
		this.manager.createSession(new NewSession("s-2", "ada", null, Map.of()));
		this.clock.advance(Duration.ofMinutes(1));
		this.manager.clearMessages("s-1");
		assertThat(this.manager.getSession("s-1").updatedAt()).isEqualTo(this.clock.instant());
		assertThat(this.manager.listSessions("ada", 0, 10).items()).extracting(ChatSession::id)
			.containsExactly("s-1", "s-2");
	}

	@Test
	void conditionalDeleteKeepsASessionWithNewerActivity() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		Instant cutoff = this.clock.instant();
		assertThat(this.store.deleteSessionIfInactiveSince("s-1", cutoff)).isFalse();
		this.clock.advance(Duration.ofDays(1));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "new activity"));
		assertThat(this.store.deleteSessionIfInactiveSince("s-1", cutoff.plusSeconds(1))).isFalse();
		assertThat(this.manager.getAllMessages("s-1")).hasSize(1);
		assertThat(this.store.deleteSessionIfInactiveSince("s-1", this.clock.instant().plusSeconds(1))).isTrue();
		assertThat(this.manager.findSession("s-1")).isEmpty();
		assertThat(this.store.deleteSessionIfInactiveSince("s-1", this.clock.instant())).isFalse();
	}

	@Test
	void searchPagesFarBeyondTheHitsAreEmpty() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "x marks the spot"));
		assertThat(this.manager.searchSession("s-1", "x", 3_000_000, 1000).hits()).isEmpty();
		assertThat(this.manager.searchUserSessions("ada", "x", Integer.MAX_VALUE, 1000).hits()).isEmpty();
		assertThat(this.manager.searchUserSessions("ada", "x", 0, 1000).hits()).hasSize(1);
	}

	@Test
	void toolDataCountsAgainstTheContentLimit() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.manager.appendMessage("s-1", new NewMessage(null, MessageRole.TOOL, "", Map.of(),
					null, List.of(), List.of(new ToolResponse("c1", "f", "x".repeat(100_001))))))
			.withMessageContaining("messages[0].toolResponses[0].responseData");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.manager.appendMessage("s-1", new NewMessage(null, MessageRole.ASSISTANT, "",
					Map.of(), null, List.of(new ToolCall("c1", "function", "f", "y".repeat(100_001))), List.of())))
			.withMessageContaining("messages[0].toolCalls[0].arguments");
		assertThat(this.manager.getSession("s-1").messageCount()).isZero();
	}

	@Test
	void importKeepsOnlyTheNewestMessagesWithinMaxHistory() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		for (int i = 0; i < 5; i++) {
			this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "m" + i));
		}
		String json = this.transfer.exportJson("s-1");
		useStore(createStore(3));
		this.transfer.importJson(json, ImportOptions.keepId());
		assertThat(this.manager.getAllMessages("s-1")).extracting(StoredMessage::content)
			.containsExactly("m2", "m3", "m4");
		assertThat(this.manager.getStatistics().messages()).isEqualTo(3);
	}

	@Test
	void importRejectsTimestampsOutOfOrder() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "m"));
		SessionSnapshot snapshot = this.manager.exportSession("s-1");
		ChatSession session = snapshot.session();
		ChatSession updatedBeforeCreated = new ChatSession("s-2", "ada", "", Map.of(), true, session.createdAt(),
				session.createdAt().minusSeconds(1), 0);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.manager.importSession(new SessionSnapshot(updatedBeforeCreated, List.of()), false))
			.withMessageContaining("session.updatedAt");
		ChatSession olderThanItsMessage = new ChatSession("s-2", "ada", "", Map.of(), true,
				session.createdAt().minusSeconds(10), session.createdAt().minusSeconds(5), 0);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.manager.importSession(new SessionSnapshot(olderThanItsMessage, snapshot.messages()),
					false))
			.withMessageContaining("messages[0].createdAt");
		assertThat(this.manager.findSession("s-2")).isEmpty();
	}

	@Test
	void importRejectsTimesInTheFutureBeforeTheEpochOrBeyondWhatStoresKeep() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "hello"));
		String valid = this.transfer.exportJson("s-1");
		String updatedAt = "\"updated_at\" : \"" + this.clock.instant() + "\"";
		String createdAt = "\"created_at\" : \"" + this.clock.instant() + "\"";
		assertThat(valid).contains(updatedAt);
		String messageCreatedAt = "\"tool_responses\" : [ ],\n    " + createdAt;
		assertThat(valid).contains(messageCreatedAt);
		Map<String, String> rejected = new java.util.LinkedHashMap<>();
		rejected.put("session.updated_at", valid.replace(updatedAt, "\"updated_at\" : \"+1000000000-12-31T23:59:59Z\""));
		rejected.put("session.updated_at ", valid.replace(updatedAt,
				"\"updated_at\" : \"" + this.clock.instant().plus(Duration.ofMinutes(6)) + "\""));
		rejected.put("session.created_at", valid.replace(createdAt, "\"created_at\" : \"1969-12-31T23:59:59Z\""));
		rejected.put("messages[0].created_at", valid.replace(messageCreatedAt,
				"\"tool_responses\" : [ ], \"created_at\" : \"1969-12-31T23:59:59.999Z\""));
		for (Map.Entry<String, String> entry : rejected.entrySet()) {
			assertThatExceptionOfType(ChatMemoryValidationException.class).as(entry.getKey())
				.isThrownBy(() -> this.transfer.importJson(entry.getValue(), ImportOptions.as("s-new")))
				.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(entry.getKey().strip()));
		}
		// beyond what Instant holds, or not a time at all: still bad input, never a 500
		for (String time : List.of("\"+1000000001-01-01T00:00:00Z\"", "\"-1000000001-01-01T00:00:00Z\"", "1e300",
				"99999999999999999999999", "-99999999999999999999999", "9223372036854775807")) {
			assertThatExceptionOfType(ChatMemoryValidationException.class).as(time)
				.isThrownBy(() -> this.transfer.importJson(valid.replace(updatedAt, "\"updated_at\" : " + time),
						ImportOptions.as("s-new")));
		}
		assertThat(this.manager.findSession("s-new")).isEmpty();
		// a little clock skew between the exporting and the importing instance is fine
		this.transfer.importJson(valid.replace(updatedAt,
				"\"updated_at\" : \"" + this.clock.instant().plus(Duration.ofMinutes(4)) + "\""), ImportOptions.as("s-new"));
		assertThat(this.manager.getSession("s-new").updatedAt()).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(4)));
	}

	@Test
	void loneSurrogatesAreRejectedInEveryTextThatIsStored() {
		this.manager.createSession(new NewSession("s-1", "ada", "title", Map.of()));
		String lone = "ok \uD800";
		Map<String, org.assertj.core.api.ThrowableAssert.ThrowingCallable> cases = new java.util.LinkedHashMap<>();
		cases.put("messages[0].content", () -> this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, lone)));
		cases.put("messages[1].content", () -> this.manager.appendMessages("s-1", List.of(
				NewMessage.of(MessageRole.USER, "fine 😀"), NewMessage.of(MessageRole.USER, "\uDC00\uD800 swapped"))));
		cases.put("title", () -> this.manager.renameSession("s-1", lone));
		cases.put("title ", () -> this.manager.createSession(new NewSession("s-2", "ada", "\uDBFF", Map.of())));
		cases.put("metadata.nested.tags[1]", () -> this.manager
			.createSession(new NewSession("s-2", "ada", null, Map.of("nested", Map.of("tags", List.of("a", lone))))));
		cases.put("messages[0].metadata.nested", () -> this.manager.appendMessage("s-1",
				NewMessage.of(MessageRole.USER, "x").withMetadata(Map.of("nested", Map.of("key \uDFFF", 1)))));
		cases.put("messages[0].toolCalls[0].name", () -> this.manager.appendMessage("s-1", new NewMessage(null,
				MessageRole.ASSISTANT, "", Map.of(), null, List.of(new ToolCall("c1", "function", lone, "{}")), List.of())));
		cases.put("messages[0].toolCalls[0].arguments", () -> this.manager.appendMessage("s-1", new NewMessage(null,
				MessageRole.ASSISTANT, "", Map.of(), null, List.of(new ToolCall("c1", "function", "f", lone)), List.of())));
		cases.put("messages[0].toolResponses[0].name", () -> this.manager.appendMessage("s-1", new NewMessage(null,
				MessageRole.TOOL, "", Map.of(), null, List.of(), List.of(new ToolResponse("c1", lone, "{}")))));
		cases.put("messages[0].toolResponses[0].responseData", () -> this.manager.appendMessage("s-1", new NewMessage(
				null, MessageRole.TOOL, "", Map.of(), null, List.of(), List.of(new ToolResponse("c1", "f", lone)))));
		cases.put("messages[0].content ", () -> this.manager.replaceMessages("s-1",
				List.of(NewMessage.of(MessageRole.USER, lone))));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "kept"));
		String valid = this.transfer.exportJson("s-1");
		cases.put("messages[0].content  ", () -> this.transfer
			.importJson(valid.replace("\"kept\"", "\"kept \\ud800\""), ImportOptions.as("s-3")));
		for (Map.Entry<String, org.assertj.core.api.ThrowableAssert.ThrowingCallable> entry : cases.entrySet()) {
			assertThatExceptionOfType(ChatMemoryValidationException.class).as(entry.getKey())
				.isThrownBy(entry.getValue())
				.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(entry.getKey().strip()))
				.satisfies((ex) -> assertThat(ex.getRule())
					.matches("(keys )?must be valid UTF-16 text \\(lone surrogate at index \\d+( of a key)?\\)"));
		}
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, lone)))
			.withMessage("messages[0].content: must be valid UTF-16 text (lone surrogate at index 3)");
		assertThat(this.manager.getAllMessages("s-1")).extracting(StoredMessage::content).containsExactly("kept");
		assertThat(this.manager.getSession("s-1").title()).isEqualTo("title");
		assertThat(this.manager.findSession("s-2")).isEmpty();
		assertThat(this.manager.findSession("s-3")).isEmpty();
	}

	@Test
	void exportRefusesWhatItsImportWouldRefuseBeforeWritingAnything() {
		ValidationRules defaults = ValidationRules.defaults();
		this.manager = ChatMemoryManager.builder(this.store)
			.clock(this.clock)
			.validationRules(new ValidationRules(defaults.idPattern(), defaults.maxContentLength(),
					defaults.maxMetadataBytes(), defaults.maxTitleLength(), defaults.maxPageSize(),
					defaults.maxMessagesPerAppend(), 3))
			.build();
		this.transfer = new SessionTransfer(this.manager, 1024 * 1024, this.clock);
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		for (int i = 0; i < 3; i++) {
			this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "m" + i));
		}
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		this.transfer.exportTo("s-1", out);
		assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(this.transfer.exportJson("s-1"));
		assertThat(this.transfer.importJson(out.toString(java.nio.charset.StandardCharsets.UTF_8), ImportOptions.newId())
			.messageCount()).isEqualTo(3);

		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "one too many"));
		java.io.ByteArrayOutputStream refused = new java.io.ByteArrayOutputStream();
		assertThatExceptionOfType(ExportTooLargeException.class).isThrownBy(() -> this.transfer.exportTo("s-1", refused))
			.withMessageContaining("holds 4 messages but an import accepts at most 3");
		assertThat(refused.size()).isZero();
		assertThatExceptionOfType(ExportTooLargeException.class).isThrownBy(() -> this.transfer.exportJson("s-1"));

		this.manager.createSession(new NewSession("s-2", "ada", null, Map.of()));
		this.manager.appendMessage("s-2", NewMessage.of(MessageRole.USER, "x".repeat(2000)));
		SessionTransfer small = new SessionTransfer(this.manager, 1000, this.clock);
		assertThatExceptionOfType(ExportTooLargeException.class).isThrownBy(() -> small.exportTo("s-2", refused))
			.withMessageContaining("at most 1000");
		assertThat(refused.size()).isZero();
	}

	@Test
	void concurrentAppendsNeverMakeAnExportFailItsOwnImport() throws Exception {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "first"));
		int rounds = 60;
		// each round, a burst of appends starts together with an export
		java.util.concurrent.CyclicBarrier round = new java.util.concurrent.CyclicBarrier(2);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		Future<?> appender = executor.submit(() -> {
			for (int r = 0; r < rounds; r++) {
				round.await(1, TimeUnit.MINUTES);
				for (int i = 0; i < 10; i++) {
					// every append is later than the one before, as on a real clock
					this.clock.advance(Duration.ofMillis(1));
					this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, r + ":" + i));
				}
			}
			return null;
		});
		try {
			for (int r = 0; r < rounds; r++) {
				round.await(1, TimeUnit.MINUTES);
				String json = this.transfer.exportJson("s-1");
				ChatSession copy = this.transfer.importJson(json, ImportOptions.newId());
				SessionSnapshot imported = this.manager.exportSession(copy.id());
				assertThat(imported.session().messageCount()).isEqualTo(imported.messages().size());
				assertThat(imported.messages()).allSatisfy(
						(message) -> assertThat(message.createdAt()).isBeforeOrEqualTo(imported.session().updatedAt()));
				this.manager.deleteSession(copy.id());
			}
			appender.get(1, TimeUnit.MINUTES);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.manager.getSession("s-1").messageCount()).isEqualTo(1 + rounds * 10);
	}

	@Test
	void anExportThatAppendsLandBetweenTheReadsOfStillImportsBack() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		for (int i = 0; i < 3; i++) {
			this.clock.advance(Duration.ofMillis(1));
			this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "m" + i));
		}
		// every read the export makes is followed by an append, before the next read
		ChatMemoryStore target = this.store;
		ChatMemoryStore interleaving = (ChatMemoryStore) java.lang.reflect.Proxy.newProxyInstance(
				getClass().getClassLoader(), new Class<?>[] { ChatMemoryStore.class }, (proxy, method, args) -> {
					Object result;
					try {
						result = method.invoke(target, args);
					}
					catch (java.lang.reflect.InvocationTargetException ex) {
						throw ex.getCause();
					}
					if (method.getName().startsWith("read") || method.getName().startsWith("find")) {
						this.clock.advance(Duration.ofMillis(1));
						target.append("s-1", List.of(NewMessage.of(MessageRole.USER, "meanwhile")
							.withId(java.util.UUID.randomUUID().toString())), false, null);
					}
					return result;
				});
		SessionTransfer exporter = new SessionTransfer(ChatMemoryManager.builder(interleaving).clock(this.clock).build(),
				1024 * 1024, this.clock);
		for (int i = 0; i < 3; i++) {
			String json = exporter.exportJson("s-1");
			ChatSession copy = this.transfer.importJson(json, ImportOptions.newId());
			assertThat(copy.messageCount()).isGreaterThanOrEqualTo(3 + i);
			assertThat(this.manager.getAllMessages(copy.id())).allSatisfy(
					(message) -> assertThat(message.createdAt()).isBeforeOrEqualTo(copy.updatedAt()));
		}
	}

	// D14: enforced atomically by each store
	@Test
	void responseToMustNameAMessageOfTheSession() {
		this.manager.createSession(new NewSession("s-1", "ada", null, Map.of()));
		this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "question").withId("q-1"));
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.manager.appendMessage("s-1",
					new NewMessage("a-1", MessageRole.ASSISTANT, "answer", Map.of(), "nowhere", List.of(), List.of())))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("messages[0].responseTo"))
			.satisfies((ex) -> assertThat(ex.getRule()).contains("must name a message of the session"));
		this.manager.createSession(new NewSession("s-2", "ada", null, Map.of()));
		this.manager.appendMessage("s-2", NewMessage.of(MessageRole.USER, "elsewhere").withId("other"));
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.manager.appendMessages("s-1", List.of(NewMessage.of(MessageRole.USER, "fine"),
					new NewMessage("a-2", MessageRole.ASSISTANT, "answer", Map.of(), "other", List.of(), List.of()))))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("messages[1].responseTo"));
		assertThat(this.manager.getAllMessages("s-1")).extracting(StoredMessage::id).containsExactly("q-1");

		List<StoredMessage> stored = this.manager.appendMessages("s-1",
				List.of(new NewMessage("a-1", MessageRole.ASSISTANT, "answer", Map.of(), "q-1", List.of(), List.of()),
						NewMessage.of(MessageRole.USER, "follow-up").withId("q-2"),
						new NewMessage("a-2", MessageRole.ASSISTANT, "again", Map.of(), "q-2", List.of(), List.of())));
		assertThat(stored).extracting(StoredMessage::responseTo).containsExactly("q-1", null, "q-2");
		assertThat(this.manager.getSession("s-1").messageCount()).isEqualTo(4);
	}

	@Test
	void mediaAreKeptLosslesslyAndThroughExportAndImport() {
		this.manager.createSession(new NewSession("s-media", "ada", "", Map.of()));
		List<MessageMedia> media = List.of(new MessageMedia("image/png", "img-1", "picture", null, new byte[] { 0, 1, (byte) 255 }),
				new MessageMedia("application/pdf", null, "doc", "https://example.com/a.pdf", null));
		NewMessage message = new NewMessage("m-1", MessageRole.USER, "see", Map.of(), null, List.of(), List.of(), media);
		this.manager.appendMessage("s-media", message);
		assertThat(this.manager.getAllMessages("s-media")).singleElement()
			.satisfies((stored) -> assertThat(stored.media()).isEqualTo(media));
		// a retry with the same media is the same message, with other media a conflict
		this.manager.appendMessage("s-media", message);
		assertThatExceptionOfType(IdempotencyConflictException.class).isThrownBy(() -> this.manager.appendMessage(
				"s-media", new NewMessage("m-1", MessageRole.USER, "see", Map.of(), null, List.of(), List.of(),
						media.subList(0, 1))));
		String json = this.transfer.exportJson("s-media");
		assertThat(json).contains("\"version\" : 2");
		this.transfer.importJson(json, ImportOptions.as("s-media-copy"));
		assertThat(this.manager.getAllMessages("s-media-copy")).singleElement()
			.satisfies((stored) -> assertThat(stored.media()).isEqualTo(media));
	}

	@Test
	void readsWithoutMediaReturnTheSameMessagesWithNoMedia() {
		this.manager.createSession(new NewSession("s-media", "ada", "", Map.of()));
		List<MessageMedia> image = List.of(new MessageMedia("image/png", "img-1", "picture", null, new byte[] { 0, 1, (byte) 255 }));
		List<MessageMedia> link = List.of(new MessageMedia("application/pdf", null, "doc", "https://example.com/a.pdf", null));
		List<StoredMessage> stored = this.manager.appendMessages("s-media", List.of(
				NewMessage.of(MessageRole.SYSTEM, "be brief").withId("m-sys"),
				new NewMessage("m-1", MessageRole.USER, "see this", Map.of("k", 1), null, List.of(), List.of(), image),
				new NewMessage("m-2", MessageRole.ASSISTANT, "a picture", Map.of(), "m-1", List.of(), List.of(), link),
				NewMessage.of(MessageRole.USER, "thanks").withId("m-3")));
		List<StoredMessage> withoutMedia = stored.stream().map(StoredMessage::withoutMedia).toList();
		assertThat(withoutMedia.get(1).media()).isEmpty();

		assertThat(this.manager.getMessages("s-media", MessageQuery.latest(10))).isEqualTo(stored);
		assertThat(this.manager.getMessages("s-media", MessageQuery.latest(10).withoutMedia())).isEqualTo(withoutMedia);
		assertThat(this.manager.getMessages("s-media", MessageQuery.after(1, 2).withoutMedia()))
			.isEqualTo(withoutMedia.subList(1, 3));
		assertThat(this.manager.getMessages("s-media", MessageQuery.before(4, 2).withoutMedia()))
			.isEqualTo(withoutMedia.subList(1, 3));
		assertThat(this.manager.getMessages("s-media", MessageQuery.before(4, 2))).isEqualTo(stored.subList(1, 3));

		RecentMessages recent = this.store.readRecent("s-media", 3, false);
		assertThat(recent.messages()).isEqualTo(withoutMedia.subList(1, 4));
		assertThat(recent.latestSystemMessage()).isEqualTo(stored.get(0));
		assertThat(recent.messageCount()).isEqualTo(4);
		assertThat(this.store.readRecent("s-media", 3, true).messages()).isEqualTo(stored.subList(1, 4));
		assertThat(this.store.readRecent("s-media", 3).messages()).isEqualTo(stored.subList(1, 4));

		WindowPolicy policy = WindowPolicy.ofMessages(10);
		assertThat(this.manager.getContextWindow("s-media", policy).messages()).extracting(WindowMessage::message)
			.isEqualTo(stored);
		assertThat(this.manager.getContextWindow("s-media", policy.withoutMedia()).messages())
			.extracting(WindowMessage::message)
			.isEqualTo(withoutMedia);
		// a window read in more than one page reads every page with or without media
		List<NewMessage> more = new ArrayList<>();
		for (int i = 0; i < 80; i++) {
			more.add(NewMessage.of((i % 2 == 0) ? MessageRole.USER : MessageRole.ASSISTANT, "more " + i));
		}
		this.manager.appendMessages("s-media", more);
		WindowPolicy tokens = WindowPolicy.ofTokens(100_000);
		assertThat(this.manager.getContextWindow("s-media", tokens).messages()).hasSize(84)
			.filteredOn((entry) -> entry.message().id().equals("m-1"))
			.singleElement()
			.satisfies((entry) -> assertThat(entry.message().media()).isEqualTo(image));
		assertThat(this.manager.getContextWindow("s-media", tokens.withoutMedia()).messages()).hasSize(84)
			.allSatisfy((entry) -> assertThat(entry.message().media()).isEmpty());
	}

	@Test
	void retriesAndReplacementsReturnAndKeepMedia() {
		List<MessageMedia> image = List.of(new MessageMedia("image/png", null, "picture", null, new byte[] { 7, 8, 9 }));
		NewMessage withImage = new NewMessage("m-1", MessageRole.USER, "see", Map.of(), null, List.of(), List.of(),
				image);
		NewMessage answer = NewMessage.of(MessageRole.ASSISTANT, "nice").withId("m-2");
		List<StoredMessage> stored = this.manager.appendMessages("s-re", List.of(withImage, answer), true);
		this.clock.advance(Duration.ofMinutes(1));
		// a retry returns the stored message, media included
		assertThat(this.manager.appendMessage("s-re", withImage)).isEqualTo(stored.get(0));
		// a replacement that repeats the messages keeps them (under new sequences), media included
		List<StoredMessage> replaced = this.manager.replaceMessages("s-re", List.of(withImage, answer));
		assertThat(this.manager.getAllMessages("s-re")).isEqualTo(replaced)
			.extracting(StoredMessage::id, StoredMessage::createdAt, StoredMessage::media)
			.containsExactly(tuple("m-1", stored.get(0).createdAt(), image),
					tuple("m-2", stored.get(1).createdAt(), List.of()));
	}

	@Test
	void mediaBeyondTheLimitAreRefusedNamingTheField() {
		this.manager = ChatMemoryManager.builder(this.store)
			.clock(this.clock)
			.validationRules(new ValidationRules(java.util.regex.Pattern.compile(ValidationRules.DEFAULT_ID_PATTERN),
					100_000, 16 * 1024, 200, 1000, 1000, 10_000, 4))
			.build();
		NewMessage message = new NewMessage(null, MessageRole.USER, "see", Map.of(), null, List.of(), List.of(),
				List.of(new MessageMedia("image/png", null, "p", null, new byte[5])));
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.manager.appendMessages("s-big", List.of(message), true))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("messages[0].media"));
		assertThat(this.manager.findSession("s-big")).isEmpty();
	}

	@Test
	void replacementKeepsTheCreationTimeOfMessagesItRepeats() {
		this.manager.replaceMessages("s-re", List.of(NewMessage.of(MessageRole.USER, "one")));
		StoredMessage first = this.manager.getAllMessages("s-re").get(0);
		this.clock.advance(Duration.ofMinutes(3));
		this.manager.replaceMessages("s-re",
				List.of(NewMessage.of(MessageRole.USER, "one"), NewMessage.of(MessageRole.ASSISTANT, "two")));
		List<StoredMessage> after = this.manager.getAllMessages("s-re");
		assertThat(after).extracting(StoredMessage::content).containsExactly("one", "two");
		assertThat(after.get(0).id()).isEqualTo(first.id());
		assertThat(after.get(0).createdAt()).isEqualTo(first.createdAt());
		assertThat(after.get(1).createdAt()).isEqualTo(first.createdAt().plus(Duration.ofMinutes(3)));
		// a changed message is a new one
		this.clock.advance(Duration.ofMinutes(3));
		this.manager.replaceMessages("s-re", List.of(NewMessage.of(MessageRole.USER, "one").withMetadata(Map.of("k", 1))));
		assertThat(this.manager.getAllMessages("s-re").get(0).createdAt())
			.isEqualTo(first.createdAt().plus(Duration.ofMinutes(6)));
	}

	// versions: every write moves them; version-checked writes fail atomically when they moved

	@Test
	void versionMovesOnEveryWriteAndOnlyOnWrites() {
		List<Long> versions = new ArrayList<>();
		versions.add(this.manager.createSession(new NewSession("s-v", "ada", "", Map.of())).version());
		versions.add(this.manager.appendMessagesAtVersion("s-v", List.of(message("m-1", MessageRole.USER, "one")), null,
				null).version());
		// a retry of stored messages writes nothing, so the version stays, and it has none of its own
		assertThat(this.manager.appendMessagesAtVersion("s-v", List.of(message("m-1", MessageRole.USER, "one")), null,
				null).version()).isNull();
		assertThat(this.manager.getSession("s-v").version()).isEqualTo(versions.get(1));
		versions.add(this.manager.renameSession("s-v", "renamed").version());
		versions.add(this.manager.deactivateSession("s-v").version());
		versions.add(this.manager.activateSession("s-v").version());
		this.manager.clearMessages("s-v");
		versions.add(this.manager.getSession("s-v").version());
		this.manager.replaceMessages("s-v", List.of(message("m-2", MessageRole.USER, "two")));
		versions.add(this.manager.getSession("s-v").version());
		SessionSnapshot snapshot = this.manager.exportSession("s-v");
		versions.add(this.manager.importSession(snapshot, true).version());
		assertThat(versions.get(0)).isEqualTo(1);
		for (int i = 1; i < versions.size(); i++) {
			assertThat(versions.get(i)).as("version after write %d", i).isGreaterThan(versions.get(i - 1));
		}
		assertThat(this.manager.getSession("s-v").version()).isEqualTo(versions.get(versions.size() - 1));
		assertThat(this.manager.getVersionedMessages("s-v", MessageQuery.latest(10)).version())
			.isEqualTo(versions.get(versions.size() - 1));
	}

	@Test
	void versionCheckedAppendFailsWithoutWritingWhenTheVersionMoved() {
		long created = this.manager.createSession(new NewSession("s-v", "ada", "", Map.of())).version();
		long afterFirst = this.manager
			.appendMessagesAtVersion("s-v", List.of(message("m-1", MessageRole.USER, "one")), created, "ada")
			.version();
		assertThat(afterFirst).isGreaterThan(created);
		assertThatExceptionOfType(SessionVersionConflictException.class)
			.isThrownBy(() -> this.manager.appendMessagesAtVersion("s-v",
					List.of(message("m-2", MessageRole.USER, "two")), created, "ada"))
			.satisfies((ex) -> {
				assertThat(ex.getCurrentVersion()).isEqualTo(afterFirst);
				assertThat(ex.getExpectedVersion()).isEqualTo(created);
			});
		assertThat(this.manager.getAllMessages("s-v")).extracting(StoredMessage::id).containsExactly("m-1");
		assertThat(this.manager.getSession("s-v").version()).isEqualTo(afterFirst);
	}

	@Test
	void versionCheckedAppendOfStoredMessagesReturnsThemWhateverTheVersion() {
		long created = this.manager.createSession(new NewSession("s-v", "ada", "", Map.of())).version();
		VersionedMessages first = this.manager.appendMessagesAtVersion("s-v",
				List.of(message("m-1", MessageRole.USER, "one")), created, null);
		// the retry of a write that landed, with the version it was sent with
		VersionedMessages retry = this.manager.appendMessagesAtVersion("s-v",
				List.of(message("m-1", MessageRole.USER, "one")), created, null);
		assertThat(retry.messages()).isEqualTo(first.messages());
		assertThat(retry.version()).isNull();
		// another writer moves the session on; a retry of the first write must not hand out
		// the new version, which would let the first writer overwrite what it never saw
		this.manager.appendMessagesAtVersion("s-v", List.of(message("m-other", MessageRole.USER, "other")),
				first.version(), null);
		VersionedMessages lateRetry = this.manager.appendMessagesAtVersion("s-v",
				List.of(message("m-1", MessageRole.USER, "one")), created, null);
		assertThat(lateRetry.messages()).isEqualTo(first.messages());
		assertThat(lateRetry.version()).isNull();
		// one new message in the batch makes it a write, which is checked
		assertThatExceptionOfType(SessionVersionConflictException.class)
			.isThrownBy(() -> this.manager.appendMessagesAtVersion("s-v",
					List.of(message("m-1", MessageRole.USER, "one"), message("m-2", MessageRole.USER, "two")), created,
					null));
		assertThat(this.manager.getSession("s-v").messageCount()).isEqualTo(2);
	}

	@Test
	void versionCheckedWritesOnMissingOrOtherUsersSessionsAreNotFound() {
		assertThatExceptionOfType(SessionNotFoundException.class).isThrownBy(() -> this.manager
			.appendMessagesAtVersion("s-none", List.of(message("m-1", MessageRole.USER, "one")), 0L, null));
		assertThat(this.manager.findSession("s-none")).isEmpty();
		long version = this.manager.createSession(new NewSession("s-v", "ada", "", Map.of())).version();
		assertThatExceptionOfType(SessionNotFoundException.class).isThrownBy(() -> this.manager
			.appendMessagesAtVersion("s-v", List.of(message("m-1", MessageRole.USER, "one")), version, "bob"));
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.manager.renameSession("s-v", "x", "bob", version));
		assertThat(this.manager.getSession("s-v").version()).isEqualTo(version);
	}

	@Test
	void versionCheckedRenameFailsWithoutWritingWhenTheVersionMoved() {
		long created = this.manager.createSession(new NewSession("s-v", "ada", "first", Map.of())).version();
		ChatSession renamed = this.manager.renameSession("s-v", "second", "ada", created);
		assertThat(renamed.title()).isEqualTo("second");
		assertThat(renamed.version()).isGreaterThan(created);
		assertThatExceptionOfType(SessionVersionConflictException.class)
			.isThrownBy(() -> this.manager.renameSession("s-v", "third", "ada", created))
			.satisfies((ex) -> assertThat(ex.getCurrentVersion()).isEqualTo(renamed.version()));
		assertThat(this.manager.getSession("s-v")).isEqualTo(renamed);
	}

	@Test
	void versionCheckedImportReplacesOnlyTheExpectedVersion() {
		this.manager.createSession(new NewSession("s-v", "ada", "first", Map.of()));
		this.manager.appendMessage("s-v", message("m-1", MessageRole.USER, "one"));
		SessionSnapshot snapshot = this.manager.exportSession("s-v");
		long exported = this.manager.getSession("s-v").version();
		this.manager.appendMessage("s-v", message("m-2", MessageRole.USER, "two"));
		long current = this.manager.getSession("s-v").version();
		assertThatExceptionOfType(SessionVersionConflictException.class)
			.isThrownBy(() -> this.manager.importSession(snapshot, true, "ada", exported))
			.satisfies((ex) -> assertThat(ex.getCurrentVersion()).isEqualTo(current));
		assertThat(this.manager.getSession("s-v").messageCount()).isEqualTo(2);
		ChatSession imported = this.manager.importSession(snapshot, true, "ada", current);
		assertThat(imported.version()).isGreaterThan(current);
		assertThat(this.manager.getSession("s-v")).isEqualTo(imported);
		assertThat(this.manager.getAllMessages("s-v")).extracting(StoredMessage::id).containsExactly("m-1");
		SessionSnapshot elsewhere = new SessionSnapshot(new ChatSession("s-gone", "ada", "", Map.of(), true,
				snapshot.session().createdAt(), snapshot.session().updatedAt(), 0), List.of());
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.manager.importSession(elsewhere, true, "ada", 1L));
		assertThat(this.manager.findSession("s-gone")).isEmpty();
	}

	@Test
	void ofConcurrentWritersExpectingOneVersionExactlyOneWins() throws Exception {
		long version = this.manager.createSession(new NewSession("s-race", "ada", "", Map.of())).version();
		int writers = 8;
		ExecutorService executor = Executors.newFixedThreadPool(writers);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				int writer = i;
				results.add(executor.submit(() -> {
					start.await();
					try {
						this.manager.appendMessagesAtVersion("s-race",
								List.of(message("w-" + writer, MessageRole.USER, "writer " + writer)), version, "ada");
						return true;
					}
					catch (SessionVersionConflictException ex) {
						return false;
					}
				}));
			}
			start.countDown();
			int wins = 0;
			for (Future<Boolean> result : results) {
				wins += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
			}
			assertThat(wins).isEqualTo(1);
			assertThat(this.manager.getSession("s-race").messageCount()).isEqualTo(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

	// forks and edits: new sessions that name their source, listed by it; the source never changes

	private void conversation(String sessionId, String userId) {
		this.manager.createSession(new NewSession(sessionId, userId, "Trip", Map.of("lang", "en")));
		this.manager.appendMessages(sessionId, List.of(message("q-1", MessageRole.USER, "Where to?"),
				new NewMessage("a-1", MessageRole.ASSISTANT, "", Map.of("model", "m"), "q-1",
						List.of(new ToolCall("c1", "function", "weather", "{\"city\":\"Pai\"}")), List.of()),
				new NewMessage("t-1", MessageRole.TOOL, "", Map.of(), null, List.of(),
						List.of(new ToolResponse("c1", "weather", "sunny"))),
				new NewMessage("q-2", MessageRole.USER, "And then?", Map.of("k", 1), "a-1", List.of(), List.of(),
						List.of(new MessageMedia("image/png", "img-1", "map", null, new byte[] { 1, 2 }))),
				message("a-2", MessageRole.ASSISTANT, "Chiang Mai")));
		this.clock.advance(Duration.ofMinutes(1));
	}

	@Test
	void forkCopiesTheMessagesUpToAndIncludingOneAndLeavesTheSourceAlone() {
		conversation("s-src", "ada");
		ChatSession before = this.manager.getSession("s-src");
		List<StoredMessage> source = this.manager.getAllMessages("s-src");
		ChatSession fork = this.manager.forkSession("s-src", "q-2", "Fork", "ada");
		assertThat(fork.id()).isNotEqualTo("s-src");
		assertThat(fork.userId()).isEqualTo("ada");
		assertThat(fork.title()).isEqualTo("Fork");
		assertThat(fork.messageCount()).isEqualTo(4);
		assertThat(fork.metadata()).containsEntry("lang", "en")
			.containsEntry("branch_of", Map.of("session_id", "s-src", "message_id", "q-2", "kind", "fork"));
		assertThat(this.manager.getSession(fork.id())).isEqualTo(fork);
		List<StoredMessage> copied = this.manager.getAllMessages(fork.id());
		// everything kept, sequences included; only the session id differs
		assertThat(copied).usingRecursiveFieldByFieldElementComparatorIgnoringFields("sessionId")
			.containsExactlyElementsOf(source.subList(0, 4));
		assertThat(copied).allSatisfy((message) -> assertThat(message.sessionId()).isEqualTo(fork.id()));
		assertThat(this.manager.getSession("s-src")).isEqualTo(before);
		assertThat(this.manager.getAllMessages("s-src")).isEqualTo(source);
		assertThat(this.manager.listBranches("s-src", 0, 10, "ada").items()).containsExactly(fork);
		// a fork is a session like any other: it takes new messages, and can be forked
		this.manager.appendMessage(fork.id(), message("q-3", MessageRole.USER, "Other way?"));
		ChatSession forkOfFork = this.manager.forkSession(fork.id(), "q-3", null, null);
		assertThat(forkOfFork.title()).isEqualTo("Fork");
		assertThat(this.manager.getAllMessages(forkOfFork.id())).extracting(StoredMessage::id)
			.containsExactly("q-1", "a-1", "t-1", "q-2", "q-3");
		assertThat(this.manager.listBranches(fork.id(), 0, 10, null).items()).extracting(ChatSession::id)
			.containsExactly(forkOfFork.id());
	}

	@Test
	void editMakesABranchWithTheMessagesBeforeAndTheEditedOne() {
		conversation("s-src", "ada");
		List<StoredMessage> source = this.manager.getAllMessages("s-src");
		ChatSession branch = this.manager.editMessage("s-src", "q-2", "And after Pai?", "ada");
		assertThat(branch.userId()).isEqualTo("ada");
		assertThat(branch.metadata()).containsEntry("branch_of",
				Map.of("session_id", "s-src", "message_id", "q-2", "kind", "edit"));
		List<StoredMessage> messages = this.manager.getAllMessages(branch.id());
		assertThat(messages).hasSize(4);
		assertThat(messages.subList(0, 3)).usingRecursiveFieldByFieldElementComparatorIgnoringFields("sessionId")
			.containsExactlyElementsOf(source.subList(0, 3));
		StoredMessage edited = messages.get(3);
		assertThat(edited.id()).isNotEqualTo("q-2");
		assertThat(edited.role()).isEqualTo(MessageRole.USER);
		assertThat(edited.content()).isEqualTo("And after Pai?");
		assertThat(edited.media()).isEqualTo(source.get(3).media());
		assertThat(edited.createdAt()).isEqualTo(this.clock.instant());
		assertThat(this.manager.getAllMessages("s-src")).isEqualTo(source);
		// the branch takes the regenerated answer
		this.manager.appendMessage(branch.id(), message("a-3", MessageRole.ASSISTANT, "Mae Hong Son"));
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.manager.editMessage("s-src", "a-2", "changed", "ada"))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("messageId"));
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.manager.editMessage("s-src", "q-1", "x".repeat(100_001), "ada"))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("content"));
	}

	@Test
	void branchesOfAnotherUsersSessionOrOfUnknownMessagesAreNotFound() {
		conversation("s-src", "ada");
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.manager.forkSession("s-src", "q-1", null, "bob"));
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.manager.editMessage("s-src", "q-1", "x", "bob"));
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.manager.listBranches("s-src", 0, 10, "bob"));
		assertThatExceptionOfType(MessageNotFoundException.class)
			.isThrownBy(() -> this.manager.forkSession("s-src", "nope", null, "ada"));
		assertThatExceptionOfType(SessionNotFoundException.class)
			.isThrownBy(() -> this.manager.forkSession("s-none", "q-1", null, null));
		assertThat(this.manager.listSessions("ada", 0, 10).totalItems()).isEqualTo(1);
		assertThat(this.manager.listBranches("s-src", 0, 10, "ada").totalItems()).isZero();
	}

	@Test
	void forksBeyondTheImportLimitAreRefusedWithoutWriting() {
		conversation("s-src", "ada");
		this.manager = ChatMemoryManager.builder(this.store)
			.clock(this.clock)
			.validationRules(new ValidationRules(java.util.regex.Pattern.compile(ValidationRules.DEFAULT_ID_PATTERN),
					100_000, 16 * 1024, 200, 1000, 1000, 3))
			.build();
		assertThat(this.manager.forkSession("s-src", "t-1", null, null).messageCount()).isEqualTo(3);
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.manager.forkSession("s-src", "q-2", null, null))
			.withMessageContaining("max-import-messages");
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> this.manager.forkSession("s-src", "q-1", null, null, 5))
			.withMessageContaining("max-import-size");
		assertThat(this.manager.listSessions("ada", 0, 10).totalItems()).isEqualTo(2);
		assertThat(this.manager.listBranches("s-src", 0, 10, null).totalItems()).isEqualTo(1);
	}

	@Test
	void branchesAreListedNewestFirstAndLeaveWithTheirSessions() {
		conversation("s-src", "ada");
		List<String> made = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			made.add(0, this.manager.forkSession("s-src", "q-1", "fork " + i, "ada").id());
			this.clock.advance(Duration.ofSeconds(1));
		}
		PagedResult<ChatSession> first = this.manager.listBranches("s-src", 0, 2, "ada");
		assertThat(first.items()).extracting(ChatSession::id).containsExactlyElementsOf(made.subList(0, 2));
		assertThat(first.totalItems()).isEqualTo(5);
		assertThat(first.hasNext()).isTrue();
		assertThat(this.manager.listBranches("s-src", 2, 2, "ada").items()).extracting(ChatSession::id)
			.containsExactlyElementsOf(made.subList(4, 5));
		assertThat(this.manager.deleteSession(made.get(1), "ada")).isTrue();
		// the delete took the entry out of its source's list: a session made again under the
		// same id is no branch (a listing alone would hide a gone one anyway)
		this.manager.createSession(new NewSession(made.get(1), "ada", "", Map.of()));
		assertThat(this.manager.listBranches("s-src", 0, 10, "ada").items()).extracting(ChatSession::id)
			.containsExactly(made.get(0), made.get(2), made.get(3), made.get(4));
		// a branch gone without a word (retention, eviction) is left out too
		this.store.deleteSession(made.get(2), null);
		PagedResult<ChatSession> listed = this.manager.listBranches("s-src", 0, 10, "ada");
		assertThat(listed.items()).extracting(ChatSession::id).containsExactly(made.get(0), made.get(3), made.get(4));
		assertThat(listed.totalItems()).isEqualTo(3);
		// the source's list goes with it: a new session under its id has no branches
		assertThat(this.manager.deleteSession("s-src")).isTrue();
		this.manager.createSession(new NewSession("s-src", "ada", "", Map.of()));
		assertThat(this.manager.listBranches("s-src", 0, 10, "ada").totalItems()).isZero();
		assertThat(this.manager.getSession(made.get(0)).metadata()).containsKey("branch_of");
	}

	@Test
	void aBranchReplacedByAnotherUsersSessionLeavesTheListAndItsPages() {
		conversation("s-src", "ada");
		String kept = this.manager.forkSession("s-src", "q-1", "kept", "ada").id();
		this.clock.advance(Duration.ofSeconds(1));
		String replaced = this.manager.forkSession("s-src", "q-1", "replaced", "ada").id();
		// an administrator imports bob's session over the newer fork
		SessionSnapshot export = this.manager.exportSession(replaced);
		ChatSession bobs = new ChatSession(replaced, "bob", "bob's", Map.of(), true, export.session().createdAt(),
				export.session().updatedAt(), 0);
		this.manager.importSession(new SessionSnapshot(bobs, export.messages()), true, null);
		PagedResult<ChatSession> first = this.manager.listBranches("s-src", 0, 1, "ada");
		assertThat(first.items()).extracting(ChatSession::id).containsExactly(kept);
		assertThat(first.totalItems()).isEqualTo(1);
		assertThat(first.hasNext()).isFalse();
		assertThat(this.manager.listBranches("s-src", 0, 10, null).items()).extracting(ChatSession::id)
			.containsExactly(kept);
	}

	private static NewMessage message(String id, MessageRole role, String content) {
		return new NewMessage(id, role, content, Map.of(), null, List.of(), List.of());
	}

}
