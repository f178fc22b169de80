package io.github.chatmemory.window;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.CharacterTokenEstimator;
import io.github.chatmemory.test.RecordingChatMemoryStore;
import org.junit.jupiter.api.Test;

import org.springframework.ai.tokenizer.JTokkitTokenCountEstimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * One test per rule of {@link ContextWindowBuilder}. Tokens are counted one per
 * character plus {@link MessageTokenCounter#MESSAGE_OVERHEAD} per message.
 */
class ContextWindowBuilderTests {

	private static final int OVERHEAD = MessageTokenCounter.MESSAGE_OVERHEAD;

	private final RecordingChatMemoryStore store = new RecordingChatMemoryStore(
			new InMemoryChatMemoryStore(10, 200_000, Clock.systemUTC()));

	private final ChatMemoryManager manager = ChatMemoryManager.builder(this.store)
		.defaultWindowPolicy(WindowPolicy.ofMessages(20))
		.tokenCounter(new MessageTokenCounter(new CharacterTokenEstimator()))
		.build();

	private void append(NewMessage... messages) {
		this.manager.appendMessages("s", List.of(messages), true);
	}

	private static NewMessage user(String text) {
		return NewMessage.of(MessageRole.USER, text);
	}

	private static NewMessage assistant(String text) {
		return NewMessage.of(MessageRole.ASSISTANT, text);
	}

	private static NewMessage system(String text) {
		return NewMessage.of(MessageRole.SYSTEM, text);
	}

	private static NewMessage toolCall(String... ids) {
		List<ToolCall> calls = new ArrayList<>();
		for (String id : ids) {
			calls.add(new ToolCall(id, "function", "f", "{}"));
		}
		return new NewMessage(null, MessageRole.ASSISTANT, "", Map.of(), null, calls, List.of());
	}

	private static NewMessage toolResponse(String id) {
		return new NewMessage(null, MessageRole.TOOL, "", Map.of(), null, List.of(),
				List.of(new ToolResponse(id, "f", "ok")));
	}

	private ContextWindow window(WindowPolicy policy) {
		return this.manager.getContextWindow("s", policy);
	}

	private static List<String> contents(ContextWindow window) {
		return window.storedMessages().stream().map(StoredMessage::content).toList();
	}

	@Test
	void keepsTheNewestMessagesWithinTheMessageLimit() {
		append(user("u1"), assistant("a1"), user("u2"), assistant("a2"), user("u3"));
		ContextWindow window = window(WindowPolicy.ofMessages(3));
		assertThat(contents(window)).containsExactly("u2", "a2", "u3");
		assertThat(window.leftOut()).containsExactly(Map.entry(LeftOutReason.MESSAGE_LIMIT, 2L));
		assertThat(window.sessionMessageCount()).isEqualTo(5);
	}

	@Test
	void keepsTheNewestMessagesWithinTheTokenBudgetAndCountsThem() {
		append(user("aaaa"), assistant("bbbb"), user("cccc"));
		ContextWindow window = window(WindowPolicy.ofTokens(2 * (4 + OVERHEAD)).withStartOnUserMessage(false));
		assertThat(contents(window)).containsExactly("bbbb", "cccc");
		assertThat(window.totalTokens()).isEqualTo(2 * (4 + OVERHEAD));
		assertThat(window.messages()).extracting(WindowMessage::tokens).containsOnly(4 + OVERHEAD);
		assertThat(window.leftOut()).containsExactly(Map.entry(LeftOutReason.TOKEN_BUDGET, 1L));
	}

	@Test
	void pinsTheNewestSystemMessageFirstAndCountsIt() {
		append(system("old rules"), user("u1"), system("new rules"), user("u2"), assistant("a2"), user("u3"));
		ContextWindow window = window(WindowPolicy.ofMessages(3).withStartOnUserMessage(false));
		assertThat(contents(window)).containsExactly("new rules", "a2", "u3");
		assertThat(window.messages().get(0).pinned()).isTrue();
		assertThat(window.messages().get(1).pinned()).isFalse();
		assertThat(window.leftOutCount()).isEqualTo(3);

		ContextWindow all = window(WindowPolicy.ofMessages(20));
		assertThat(contents(all)).containsExactly("new rules", "u1", "u2", "a2", "u3");
		assertThat(all.leftOut()).containsExactly(Map.entry(LeftOutReason.SUPERSEDED_SYSTEM_MESSAGE, 1L));
	}

	@Test
	void keepsOrDropsAToolCallWithAllItsResponses() {
		append(user("question"), toolCall("c1", "c2"), toolResponse("c1"), toolResponse("c2"), assistant("answer"));
		ContextWindow fits = window(WindowPolicy.ofMessages(4).withStartOnUserMessage(false));
		assertThat(fits.storedMessages()).extracting(StoredMessage::role)
			.containsExactly(MessageRole.ASSISTANT, MessageRole.TOOL, MessageRole.TOOL, MessageRole.ASSISTANT);
		ContextWindow tooSmall = window(WindowPolicy.ofMessages(3).withStartOnUserMessage(false));
		assertThat(contents(tooSmall)).containsExactly("answer");
		assertThat(tooSmall.leftOut()).containsExactly(Map.entry(LeftOutReason.MESSAGE_LIMIT, 4L));
	}

	@Test
	void neverStartsWithAnOrphanToolResponse() {
		append(toolResponse("lost"), user("u1"), assistant("a1"));
		ContextWindow window = window(WindowPolicy.ofMessages(10));
		assertThat(contents(window)).containsExactly("u1", "a1");
		assertThat(window.leftOut()).containsExactly(Map.entry(LeftOutReason.ORPHAN_TOOL_RESPONSE, 1L));
	}

	@Test
	void dropsAToolCallWithoutAResponseForEveryCall() {
		append(user("u1"), toolCall("c1", "c2"), toolResponse("c1"), user("u2"), toolCall("c3"), user("u3"));
		ContextWindow window = window(WindowPolicy.ofMessages(10));
		assertThat(contents(window)).containsExactly("u1", "u2", "u3");
		assertThat(window.leftOut()).containsExactly(Map.entry(LeftOutReason.INCOMPLETE_TOOL_GROUP, 3L));
	}

	@Test
	void keepsACallInFlightAtTheEndWithTheResponsesStoredSoFar() {
		// Spring AI's tool loop stores the call, then reads the window, then the responses
		append(user("u1"), toolCall("c1", "c2"), toolResponse("c1"));
		ContextWindow window = window(WindowPolicy.ofMessages(10));
		assertThat(window.storedMessages()).extracting(StoredMessage::role)
			.containsExactly(MessageRole.USER, MessageRole.ASSISTANT, MessageRole.TOOL);
		assertThat(window.leftOutCount()).isZero();
	}

	@Test
	void leavesOutAToolResponseWhoseCallIdIsNotInTheWindow() {
		append(user("u1"), toolCall("c1"), toolResponse("c1"), toolResponse("unknown"), toolResponse("c1"),
				new NewMessage(null, MessageRole.TOOL, "", Map.of(), null, List.of(),
						List.of(new ToolResponse("c1", "f", "ok"), new ToolResponse("x", "f", "ok"))),
				assistant("a1"));
		ContextWindow window = window(WindowPolicy.ofMessages(10));
		assertThat(window.storedMessages()).extracting(StoredMessage::role)
			.containsExactly(MessageRole.USER, MessageRole.ASSISTANT, MessageRole.TOOL, MessageRole.ASSISTANT);
		assertThat(window.storedMessages().get(2).toolResponses()).extracting(ToolResponse::id).containsExactly("c1");
		assertThat(window.leftOut()).containsExactly(Map.entry(LeftOutReason.ORPHAN_TOOL_RESPONSE, 3L));
	}

	@Test
	void dropsAGroupWhoseResponseSitsInAMessageWithAnUnknownCallId() {
		append(user("u1"), toolCall("c1", "c2"), toolResponse("c1"),
				new NewMessage(null, MessageRole.TOOL, "", Map.of(), null, List.of(),
						List.of(new ToolResponse("c2", "f", "ok"), new ToolResponse("x", "f", "ok"))),
				assistant("a1"));
		ContextWindow window = window(WindowPolicy.ofMessages(10));
		assertThat(contents(window)).containsExactly("u1", "a1");
		assertThat(window.leftOut()).containsOnly(Map.entry(LeftOutReason.INCOMPLETE_TOOL_GROUP, 2L),
				Map.entry(LeftOutReason.ORPHAN_TOOL_RESPONSE, 1L));
	}

	@Test
	void dropsAndReportsAMessageLargerThanTheWholeBudgetNeverTruncating() {
		append(user("small"), assistant("x".repeat(500)), user("tiny"));
		ContextWindow window = window(WindowPolicy.ofTokens(100));
		assertThat(contents(window)).containsExactly("tiny");
		assertThat(window.leftOut()).containsEntry(LeftOutReason.OVERSIZED, 1L)
			.containsEntry(LeftOutReason.TOKEN_BUDGET, 1L);
		assertThat(window.messages()).allSatisfy((message) -> assertThat(message.message().content()).isNotEmpty());
	}

	@Test
	void anOversizedSystemMessageIsReportedNotPinned() {
		append(system("s".repeat(500)), user("u1"));
		ContextWindow window = window(WindowPolicy.ofTokens(100));
		assertThat(contents(window)).containsExactly("u1");
		assertThat(window.leftOut()).containsExactly(Map.entry(LeftOutReason.OVERSIZED, 1L));
	}

	@Test
	void startsOnAUserMessageByDefaultAsSpringAiDoes() {
		append(user("u1"), assistant("a1"), toolCall("c1"), toolResponse("c1"), assistant("a2"), user("u2"),
				assistant("a3"));
		WindowPolicy policy = WindowPolicy.ofMessages(5);
		assertThat(policy.startOnUserMessage()).isTrue();
		ContextWindow window = window(policy);
		assertThat(contents(window)).containsExactly("u2", "a3");
		assertThat(window.leftOut()).containsEntry(LeftOutReason.BEFORE_FIRST_USER_MESSAGE, 3L)
			.containsEntry(LeftOutReason.MESSAGE_LIMIT, 2L);
		assertThat(window(policy.withStartOnUserMessage(false)).storedMessages().get(0).role())
			.isEqualTo(MessageRole.ASSISTANT);
	}

	@Test
	void startingOnAUserMessageNeverDropsTheCallInFlight() {
		// Spring AI's tool loop with memory inside it reads the window while the newest
		// message is a call whose responses it sends next: without the call before
		// them, OpenAI answers HTTP 400
		append(user("u1"), toolCall("c1"), toolResponse("c1"), toolCall("c2"));
		ContextWindow window = window(WindowPolicy.ofMessages(3));
		assertThat(window.storedMessages()).extracting(StoredMessage::role).containsExactly(MessageRole.ASSISTANT);
		assertThat(window.storedMessages().get(0).toolCalls()).extracting(ToolCall::id).containsExactly("c2");
		assertThat(window.leftOut()).containsEntry(LeftOutReason.BEFORE_FIRST_USER_MESSAGE, 2L);
		assertThat(contents(window(WindowPolicy.ofMessages(4)))).first().isEqualTo("u1");
		// once answered, the call is no longer in flight and is snapped away
		append(toolResponse("c2"));
		assertThat(window(WindowPolicy.ofMessages(3)).storedMessages()).isEmpty();
	}

	@Test
	void toolCallArgumentsAndResponsesCountAsTokens() {
		JTokkitTokenCountEstimator jtokkit = new JTokkitTokenCountEstimator();
		MessageTokenCounter counter = new MessageTokenCounter(jtokkit);
		StoredMessage plain = new StoredMessage("a", "s", 1, MessageRole.ASSISTANT, "", Map.of(), null, List.of(),
				List.of(), java.time.Instant.EPOCH);
		StoredMessage withCall = new StoredMessage("b", "s", 2, MessageRole.ASSISTANT, "", Map.of(), null,
				List.of(new ToolCall("c1", "function", "weather", "{\"city\":\"Chiang Mai\",\"unit\":\"celsius\"}")),
				List.of(), java.time.Instant.EPOCH);
		StoredMessage response = new StoredMessage("c", "s", 3, MessageRole.TOOL, "", Map.of(), null, List.of(),
				List.of(new ToolResponse("c1", "weather", "{\"temperature\":31,\"sky\":\"rain\"}")),
				java.time.Instant.EPOCH);
		assertThat(counter.count(plain)).isEqualTo(OVERHEAD);
		assertThat(counter.count(withCall)).isEqualTo(OVERHEAD + jtokkit.estimate("weather")
				+ jtokkit.estimate("{\"city\":\"Chiang Mai\",\"unit\":\"celsius\"}"))
			.isGreaterThan(OVERHEAD + 5);
		assertThat(counter.count(response)).isEqualTo(OVERHEAD + jtokkit.estimate("weather")
				+ jtokkit.estimate("{\"temperature\":31,\"sky\":\"rain\"}"))
			.isGreaterThan(OVERHEAD + 5);
	}

	@Test
	void readsOnlyWhatTheWindowNeeds() {
		for (int batch = 0; batch < 10; batch++) {
			List<NewMessage> messages = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				messages.add(user("message " + batch + "/" + i));
			}
			this.manager.appendMessages("s", messages, true);
		}
		this.store.reset();
		ContextWindow window = window(WindowPolicy.ofMessages(20));
		assertThat(window.messages()).hasSize(20);
		assertThat(window.leftOut()).containsExactly(Map.entry(LeftOutReason.MESSAGE_LIMIT, 9_980L));
		assertThat(this.store.reads()).isEqualTo(1);
		assertThat(this.store.messagesRead()).isLessThanOrEqualTo(36);
	}

	@Test
	void aWindowOfManySystemMessagesReadsOnlyABoundedLookBack() {
		List<NewMessage> messages = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			messages.add(system("rule " + i));
		}
		for (int from = 0; from < messages.size(); from += 1000) {
			this.manager.appendMessages("s", messages.subList(from, from + 1000), true);
		}
		this.store.reset();
		ContextWindow one = window(WindowPolicy.ofMessages(1));
		assertThat(contents(one)).containsExactly("rule 9999");
		assertThat(one.leftOutCount()).isEqualTo(9_999);
		// the window is full once the system message is pinned: the first page (and the
		// pinned message) is all it reads
		assertThat(this.store.messagesRead()).isLessThanOrEqualTo(2 + 16);

		this.store.reset();
		ContextWindow five = window(WindowPolicy.ofMessages(5));
		assertThat(contents(five)).containsExactly("rule 9999");
		assertThat(five.leftOut()).containsEntry(LeftOutReason.LOOK_BACK_LIMIT, 10_000L - ContextWindowBuilder.LOOK_BACK);
		assertThat(this.store.messagesRead()).isLessThanOrEqualTo(5 + 16 + ContextWindowBuilder.LOOK_BACK);

		this.store.reset();
		ContextWindow tokens = window(WindowPolicy.ofTokens(100_000));
		assertThat(contents(tokens)).containsExactly("rule 9999");
		assertThat(this.store.messagesRead()).isLessThanOrEqualTo(2L * ContextWindowBuilder.LOOK_BACK + 64);
	}

	@Test
	void aHugeMessageLimitDoesNotOverflowThePageSize() {
		append(user("u1"), assistant("a1"));
		ContextWindow window = new ContextWindowBuilder(this.store, new MessageTokenCounter(new CharacterTokenEstimator()))
			.build("s", WindowPolicy.ofTokens(4000).withMaxMessages(Integer.MAX_VALUE))
			.orElseThrow();
		assertThat(contents(window)).containsExactly("u1", "a1");
		assertThat(window.leftOutCount()).isZero();
	}

	@Test
	void aCallerCannotAskForMoreMessagesThanOnePageHolds() {
		append(user("u1"));
		assertThatExceptionOfType(ChatMemoryValidationException.class)
			.isThrownBy(() -> window(WindowPolicy.ofMessages(1001)))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("maxMessages"));
		assertThat(window(WindowPolicy.ofMessages(1000)).messages()).hasSize(1);
	}

	@Test
	void aMissingSessionHasNoWindow() {
		assertThat(this.manager.findContextWindow("missing", WindowPolicy.ofMessages(5))).isEmpty();
	}

	@Test
	void aPolicyNeedsALimit() {
		assertThatIllegalArgumentException().isThrownBy(() -> new WindowPolicy(null, null, false))
			.withMessageContaining("maxMessages, maxTokens");
		assertThatIllegalArgumentException().isThrownBy(() -> WindowPolicy.ofTokens(0))
			.withMessageContaining("maxTokens");
	}

}
