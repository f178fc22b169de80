package io.github.chatmemory.window;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import io.github.chatmemory.store.ChatMemoryStore.SummaryWrite;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.CharacterTokenEstimator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link ContextWindowBuilder} places a session's latest summary: after the newest
 * user turn, into the room left, or not at all. Tokens are counted one per character plus
 * {@link MessageTokenCounter#MESSAGE_OVERHEAD} per message and per summary.
 */
class ContextWindowSummaryTests {

	private static final int OVERHEAD = MessageTokenCounter.MESSAGE_OVERHEAD;

	private final InMemoryChatMemoryStore store = new InMemoryChatMemoryStore(10, 200_000, Clock.systemUTC());

	private final ContextWindowBuilder builder = new ContextWindowBuilder(this.store,
			new MessageTokenCounter(new CharacterTokenEstimator()), true);

	private List<StoredMessage> session(NewMessage... messages) {
		this.store.createSession("s", "u", "t", Map.of());
		List<NewMessage> withIds = new ArrayList<>();
		for (NewMessage message : messages) {
			withIds.add(message.withId("m" + (withIds.size() + 1)));
		}
		return this.store.append("s", withIds, false, null);
	}

	private void summarize(String text, List<StoredMessage> messages, int from, int to) {
		StoredMessage last = messages.get(to - 1);
		StoredSummary summary = new StoredSummary("sum", "s", text, from, last.sequence(), last.id(), null,
				Instant.now(), null, text.length() + OVERHEAD, 1000);
		assertThat(this.store.saveSummary(summary, this.store.findSession("s").orElseThrow().createdAt()))
			.isEqualTo(SummaryWrite.STORED);
	}

	private ContextWindow window(WindowPolicy policy) {
		return this.builder.build("s", policy).orElseThrow();
	}

	private static List<String> contents(ContextWindow window) {
		return window.storedMessages().stream().map(StoredMessage::content).toList();
	}

	private static NewMessage message(MessageRole role, String text) {
		return NewMessage.of(role, text);
	}

	private List<StoredMessage> sixMessages() {
		return session(message(MessageRole.SYSTEM, "be nice"), message(MessageRole.USER, "q1"),
				message(MessageRole.ASSISTANT, "a1"), message(MessageRole.USER, "q2"),
				message(MessageRole.ASSISTANT, "a2"), message(MessageRole.USER, "q3"));
	}

	@Test
	void theNewestUserMessageComesBeforeTheSummaryUnderTheMessageLimit() {
		summarize("q1 was asked", sixMessages(), 2, 3);
		ContextWindow window = window(WindowPolicy.ofMessages(2));
		assertThat(contents(window)).containsExactly("be nice", "q3");
		assertThat(window.summary()).isNull();
		assertThat(window.latestSummary().id()).isEqualTo("sum");
		assertThat(window.leftOut()).containsExactly(Map.entry(LeftOutReason.MESSAGE_LIMIT, 4L));
	}

	@Test
	void theSummaryTakesTheRoomLeftAndItsMessagesAreReportedAsCovered() {
		summarize("q1 was asked", sixMessages(), 2, 3);
		ContextWindow window = window(WindowPolicy.ofMessages(3));
		assertThat(contents(window)).containsExactly("be nice", "q3");
		assertThat(window.summary().summary().id()).isEqualTo("sum");
		assertThat(window.leftOut()).containsOnly(Map.entry(LeftOutReason.MESSAGE_LIMIT, 2L),
				Map.entry(LeftOutReason.COVERED_BY_SUMMARY, 2L));
		assertThat(window.leftOutCount() + window.messages().size()).isEqualTo(window.sessionMessageCount());
	}

	@Test
	void afterTheSummaryTheWalkGoesOnUntilItsRange() {
		summarize("q1 was asked", sixMessages(), 2, 3);
		ContextWindow window = window(WindowPolicy.ofMessages(10));
		assertThat(contents(window)).containsExactly("be nice", "q2", "a2", "q3");
		assertThat(window.summary()).isNotNull();
		assertThat(window.leftOut()).containsExactly(Map.entry(LeftOutReason.COVERED_BY_SUMMARY, 2L));
	}

	@Test
	void theNewestMessageComesBeforeTheSummaryUnderTheTokenBudget() {
		String big = "w".repeat(400 - OVERHEAD);
		List<StoredMessage> messages = session(message(MessageRole.USER, "q1"), message(MessageRole.ASSISTANT, "a1"),
				message(MessageRole.USER, big));
		summarize("s".repeat(700 - OVERHEAD), messages, 1, 2);
		ContextWindow window = window(WindowPolicy.ofTokens(1000));
		assertThat(contents(window)).containsExactly("q1", "a1", big);
		assertThat(window.summary()).isNull();
		assertThat(window.totalTokens()).isEqualTo(400 + 2 * (2 + OVERHEAD));
		assertThat(window.leftOut()).isEmpty();
	}

	@Test
	void aSummaryThatFitsAfterTheNewestTurnCountsAgainstTheBudget() {
		String big = "w".repeat(400 - OVERHEAD);
		List<StoredMessage> messages = session(message(MessageRole.USER, "q1"), message(MessageRole.ASSISTANT, "a1"),
				message(MessageRole.USER, big));
		summarize("s".repeat(500 - OVERHEAD), messages, 1, 2);
		ContextWindow window = window(WindowPolicy.ofTokens(1000));
		assertThat(contents(window)).containsExactly(big);
		assertThat(window.summary().tokens()).isEqualTo(500);
		assertThat(window.totalTokens()).isEqualTo(900);
		assertThat(window.leftOut()).containsExactly(Map.entry(LeftOutReason.COVERED_BY_SUMMARY, 2L));
	}

	@Test
	void aLimitThatStopsTheWalkInsideTheNewestTurnStillLeavesRoomForTheSummary() {
		// the tool group does not fit into the slot left after the newest message: the summary does
		List<StoredMessage> messages = session(message(MessageRole.USER, "q1"), message(MessageRole.ASSISTANT, "a1"),
				message(MessageRole.USER, "q2"),
				new NewMessage(null, MessageRole.ASSISTANT, "", Map.of(), null,
						List.of(new ToolCall("t1", "function", "f", "{}")), List.of()),
				new NewMessage(null, MessageRole.TOOL, "", Map.of(), null, List.of(),
						List.of(new ToolResponse("t1", "f", "ok"))),
				message(MessageRole.ASSISTANT, "a3"));
		summarize("sum", messages, 1, 2);
		ContextWindow window = window(WindowPolicy.ofMessages(2).withStartOnUserMessage(false));
		assertThat(contents(window)).containsExactly("a3");
		assertThat(window.summary()).isNotNull();
		assertThat(window.leftOut()).containsOnly(Map.entry(LeftOutReason.MESSAGE_LIMIT, 3L),
				Map.entry(LeftOutReason.COVERED_BY_SUMMARY, 2L));
	}

	@Test
	void reachingTheRangeOfTheSummaryBeforeAUserMessagePlacesIt() {
		List<StoredMessage> messages = session(message(MessageRole.ASSISTANT, "a0"), message(MessageRole.ASSISTANT, "a1"));
		summarize("sum", messages, 1, 1);
		ContextWindow window = window(WindowPolicy.ofMessages(10).withStartOnUserMessage(false));
		assertThat(contents(window)).containsExactly("a1");
		assertThat(window.summary()).isNotNull();
		assertThat(window.leftOut()).containsExactly(Map.entry(LeftOutReason.COVERED_BY_SUMMARY, 1L));
	}

}
