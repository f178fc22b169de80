package io.github.chatmemory.window;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.store.redis.RedisChatMemoryStore;
import io.github.chatmemory.store.redis.RedisStoreSettings;
import io.github.chatmemory.test.RecordingChatMemoryStore;
import io.github.chatmemory.test.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.ai.tokenizer.JTokkitTokenCountEstimator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 100,000-message session on a real Redis gives its 4,000-token window while the store
 * is asked for a small fraction of the history.
 */
class LargeSessionWindowIT {

	private static final int HISTORY = 100_000;

	@Test
	void windowOfAHundredThousandMessagesReadsOnlyTheNewest() {
		String prefix = "test:" + UUID.randomUUID() + ":";
		RecordingChatMemoryStore store = new RecordingChatMemoryStore(new RedisChatMemoryStore(TestRedis.sharedConnectionFactory(),
				RedisStoreSettings.withPrefix(prefix), Clock.systemUTC()));
		ChatMemoryManager manager = ChatMemoryManager.builder(store)
		.defaultWindowPolicy(WindowPolicy.ofTokens(4000))
		.tokenCounter(new MessageTokenCounter(new JTokkitTokenCountEstimator()))
		.build();
		manager.appendMessages("big", List.of(NewMessage.of(MessageRole.SYSTEM, "You are a patient tutor.")), true);
		for (int batch = 0; batch < HISTORY / 1000; batch++) {
			List<NewMessage> messages = new ArrayList<>(1000);
			for (int i = 0; i < 1000; i++) {
				int n = batch * 1000 + i;
				messages.add(NewMessage.of((n % 2 == 0) ? MessageRole.USER : MessageRole.ASSISTANT,
						"Message number " + n + " of a very long conversation about spaced repetition."));
			}
			manager.appendMessages("big", messages);
		}
		store.reset();

		ContextWindow window = manager.getContextWindow("big");

		assertThat(window.sessionMessageCount()).isEqualTo(HISTORY + 1);
		assertThat(window.messages().get(0).pinned()).isTrue();
		assertThat(window.totalTokens()).isLessThanOrEqualTo(4000).isGreaterThan(3900);
		assertThat(window.storedMessages().get(window.messages().size() - 1).content())
			.startsWith("Message number " + (HISTORY - 1) + " ");
		assertThat(window.messages().size() + window.leftOutCount()).isEqualTo(HISTORY + 1);
		System.out.printf("100k-message session: window of %d messages / %d tokens; store read %d messages in %d calls%n",
				window.messages().size(), window.totalTokens(), store.messagesRead(), store.reads());
		// what the store was asked for: a few pages, a small fraction of the history
		assertThat(store.reads()).isLessThanOrEqualTo(6);
		assertThat(store.messagesRead()).isLessThan(2 * window.messages().size() + 64).isLessThan(HISTORY / 50);
	}

}
