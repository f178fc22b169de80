package io.github.chatmemory.summary;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.springai.StoreBackedChatMemory;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.window.ContextWindow;
import io.github.chatmemory.window.LeftOutReason;
import io.github.chatmemory.window.MessageTokenCounter;
import io.github.chatmemory.window.WindowMessage;
import io.github.chatmemory.window.WindowPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.tokenizer.JTokkitTokenCountEstimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A chat of 200 turns through Spring AI's {@link ChatMemory} with a 1,000-token window
 * and summaries on: every message stays stored, and the window holds the summary and the
 * newest turns within the budget.
 */
class LongConversationTests {

	@Test
	void twoHundredTurnsKeepEveryMessageAndTheWindowHoldsTheSummaryAndTheNewestTurnsWithinBudget() {
		ChatMemoryManager manager = ChatMemoryManager.builder(new InMemoryChatMemoryStore(10, 10_000, Clock.systemUTC()))
			.defaultWindowPolicy(WindowPolicy.ofTokens(1000))
			.summaries(LongConversationTests::summarize, new SummarySettings(300, 150, 200, 16_000, Duration.ofSeconds(5)))
			.build();
		try {
			ChatMemory chatMemory = new StoreBackedChatMemory(manager);
			for (int turn = 0; turn < 200; turn++) {
				chatMemory.get("long");
				chatMemory.add("long", List.of(new UserMessage("Question " + turn + ": what about topic " + turn + "?"),
						new AssistantMessage("Answer " + turn + ": topic " + turn + " is covered in chapter " + turn
								+ " of the handbook.")));
			}
			MessageTokenCounter tokens = new MessageTokenCounter(new JTokkitTokenCountEstimator());
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				chatMemory.get("long");
				ContextWindow window = manager.getContextWindow("long");
				assertThat(window.summary()).isNotNull();
				// caught up: what the window leaves out and the summary does not cover is
				// below the trigger (a little over, as the trigger is estimated on the request path)
				long oldest = window.storedMessages().get(0).sequence();
				long uncovered = manager
					.getMessages("long", MessageQuery.after(window.summary().summary().toSequence(), 400))
					.stream()
					.filter((message) -> message.sequence() < oldest)
					.mapToLong(tokens::count)
					.sum();
				assertThat(uncovered).isLessThan(2 * 300);
			});

			assertThat(manager.getAllMessages("long")).hasSize(400);
			ContextWindow window = manager.getContextWindow("long");
			long promptTokens = window.messages().stream().mapToLong(WindowMessage::tokens).sum()
					+ window.summary().tokens();
			assertThat(window.totalTokens()).isEqualTo(promptTokens).isLessThanOrEqualTo(1000);
			StoredSummary summary = window.summary().summary();
			List<StoredMessage> kept = window.storedMessages();
			assertThat(kept.get(kept.size() - 1).content()).startsWith("Answer 199:");
			assertThat(summary.toSequence()).isLessThan(kept.get(0).sequence()).isGreaterThan(300);
			assertThat(summary.fromSequence()).isEqualTo(1);
			assertThat(window.leftOut().keySet()).containsAnyOf(LeftOutReason.COVERED_BY_SUMMARY,
					LeftOutReason.TOKEN_BUDGET);
			assertThat(summary.extendsId()).isNotNull();
			assertThat(window.summary().tokensSaved()).isPositive();
			List<Message> prompt = chatMemory.get("long");
			assertThat(prompt.get(0).getText()).startsWith("Summary of the earlier conversation:");
			assertThat(prompt).hasSize(kept.size() + 1);
		}
		finally {
			manager.close();
		}
	}

	/** A deterministic summarizer: the topics asked about, newest kept within the budget. */
	private static ChatMemorySummarizer.Summary summarize(ChatMemorySummarizer.Request request) {
		String topics = request.messages()
			.stream()
			.filter((message) -> message.content().startsWith("Question"))
			.map((message) -> message.content().replaceAll("^Question (\\d+).*$", "$1"))
			.collect(Collectors.joining(","));
		String previous = (request.previousSummary() != null) ? request.previousSummary() + "," : "Topics asked: ";
		String text = previous + topics;
		// a summary keeps within its budget: the oldest topics go first
		int maxChars = request.maxTokens() * 3;
		return new ChatMemorySummarizer.Summary(
				(text.length() > maxChars) ? "Topics asked: ..." + text.substring(text.length() - maxChars + 17) : text,
				"test");
	}

}
