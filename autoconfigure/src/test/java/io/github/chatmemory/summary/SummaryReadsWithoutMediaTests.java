package io.github.chatmemory.summary;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageMedia;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.NewSession;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.store.memory.InMemoryChatMemoryStore;
import io.github.chatmemory.test.CharacterTokenEstimator;
import io.github.chatmemory.test.RecordingChatMemoryStore;
import io.github.chatmemory.window.MessageTokenCounter;
import io.github.chatmemory.window.WindowPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A summary run reads text only: the window it looks at and the messages it folds in are
 * read without their media, which a summary never uses, even when the window policy it
 * is given (the default, or the one of a window built for a prompt) wants media.
 */
class SummaryReadsWithoutMediaTests {

	private final RecordingChatMemoryStore store = new RecordingChatMemoryStore(
			new InMemoryChatMemoryStore(100, 10_000, Clock.systemUTC()));

	private final List<ChatMemorySummarizer.Request> requests = new ArrayList<>();

	private final ChatMemoryManager manager = ChatMemoryManager.builder(this.store)
		.defaultWindowPolicy(WindowPolicy.ofMessages(4))
		.tokenCounter(new MessageTokenCounter(new CharacterTokenEstimator()))
		.summaries((request) -> {
			this.requests.add(request);
			return new ChatMemorySummarizer.Summary("The user showed pictures.", "test");
		}, new SummarySettings(1_000_000, 100, 100, 1_000_000, Duration.ofSeconds(10)))
		.build();

	@AfterEach
	void close() {
		this.manager.close();
	}

	@Test
	void summaryRunReadsNoMedia() {
		this.manager.createSession(new NewSession("pictures", "ada", null, Map.of()));
		for (int i = 0; i < 10; i++) {
			MessageMedia picture = new MessageMedia("image/png", null, "picture-" + i, null, new byte[] { 1, 2, 3 });
			this.manager.appendMessage("pictures", new NewMessage(null, MessageRole.USER, "look at picture " + i,
					Map.of(), null, List.of(), List.of(), List.of(picture)));
		}
		assertThat(this.manager.getDefaultWindowPolicy().includeMedia()).as("the policy the run is given wants media")
			.isTrue();
		this.store.reset();

		StoredSummary summary = this.manager.summarize("pictures");

		assertThat(summary.text()).isEqualTo("The user showed pictures.");
		assertThat(this.requests).singleElement()
			.satisfies((request) -> assertThat(request.messages()).isNotEmpty()
				.allSatisfy((message) -> assertThat(message.media()).isEmpty()));
		assertThat(this.store.reads()).isPositive();
		assertThat(this.store.readsWithMedia()).as("reads that asked for media").isZero();
	}

}
