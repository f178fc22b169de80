package io.github.chatmemory.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.springai.StoreBackedChatMemory;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.window.WindowPolicy;

import org.springframework.ai.chat.memory.ChatMemory;

/**
 * This project's {@link ChatMemory} on one of its stores.
 */
final class ThisProjectMemory extends ChatMemoryUnderTest {

	private final ChatMemoryManager manager;

	private final ChatMemory chatMemory;

	private final Runnable onClose;

	ThisProjectMemory(ChatMemoryStore store, Runnable onClose) {
		this.manager = ChatMemoryManager.builder(store)
			.defaultWindowPolicy(WindowPolicy.ofMessages(Texts.WINDOW_MESSAGES))
			.build();
		this.chatMemory = new StoreBackedChatMemory(this.manager);
		this.onClose = onClose;
	}

	@Override
	public void prepare(String conversation, int history) {
		this.manager.deleteSession(conversation);
		List<NewMessage> batch = new ArrayList<>(1000);
		for (int i = 0; i < history; i++) {
			batch.add(NewMessage.of((i % 2 == 0) ? MessageRole.USER : MessageRole.ASSISTANT, Texts.message(i)));
			if (batch.size() == 1000 || i == history - 1) {
				this.manager.appendMessages(conversation, batch, true);
				batch.clear();
			}
		}
	}

	@Override
	public int readMessageWindow(String conversation) {
		return this.chatMemory.get(conversation).size();
	}

	@Override
	public int readTokenWindow(String conversation) {
		return this.manager.getContextWindow(conversation, WindowPolicy.ofTokens(Texts.WINDOW_TOKENS)).messages().size();
	}

	@Override
	ChatMemory chatMemory() {
		return this.chatMemory;
	}

	@Override
	public long count(String conversation) {
		return this.manager.getSession(conversation).messageCount();
	}

	@Override
	public void close() {
		this.onClose.run();
	}

}
