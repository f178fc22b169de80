package io.github.chatmemory.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.SessionAlreadyExistsException;
import io.github.chatmemory.SessionInactiveException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import io.github.chatmemory.ValidationRules;
import io.github.chatmemory.springai.StoreBackedChatMemory;
import io.github.chatmemory.store.ChatMemoryStore.RecentMessages;
import io.github.chatmemory.test.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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

	@BeforeEach
	void createManager() {
		this.store = createStore(100_000);
		this.manager = new ChatMemoryManager(this.store, ValidationRules.defaults());
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
				NewMessage.of(MessageRole.USER, "hello again").withId("m-1"));
		assertThat(retried).isEqualTo(first);
		List<StoredMessage> batch = this.manager.appendMessages("s-1",
				List.of(NewMessage.of(MessageRole.ASSISTANT, "hi").withId("m-2"),
						NewMessage.of(MessageRole.ASSISTANT, "hi twice").withId("m-2")));
		assertThat(batch.get(1)).isEqualTo(batch.get(0));
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
		this.store = createStore(3);
		this.manager = new ChatMemoryManager(this.store, ValidationRules.defaults());
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
			.isThrownBy(() -> this.manager.appendMessage("s-1", NewMessage.of(MessageRole.USER, "x").withId("a:b")))
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

}
