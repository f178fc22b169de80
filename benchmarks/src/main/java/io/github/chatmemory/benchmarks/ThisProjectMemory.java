package io.github.chatmemory.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.chatmemory.ChatMemoryManager;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.NewMessage;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.springai.StoreBackedChatMemory;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.ChatMemoryStore.SummaryWrite;
import io.github.chatmemory.summary.ChatMemorySummarizer;
import io.github.chatmemory.summary.SummarySettings;
import io.github.chatmemory.window.WindowPolicy;

import org.springframework.ai.chat.memory.ChatMemory;

/**
 * This project's {@link ChatMemory} on one of its stores.
 */
final class ThisProjectMemory extends ChatMemoryUnderTest {

	/**
	 * Summaries on, but never started by a read: the benchmarks measure reads, and put the
	 * summary in place themselves.
	 */
	private static final SummarySettings READ_ONLY_SUMMARIES = new SummarySettings(Integer.MAX_VALUE, 500, 200,
			16_000, Duration.ofSeconds(60));

	private final ChatMemoryStore store;

	private final ChatMemoryManager manager;

	private final ChatMemory chatMemory;

	private final Runnable onClose;

	ThisProjectMemory(ChatMemoryStore store, Runnable onClose) {
		this(store, false, onClose);
	}

	/**
	 * Create the memory, with summaries in its windows or without.
	 * @param store the store
	 * @param summaries whether windows hold the session's latest summary
	 * @param onClose what closing releases
	 */
	ThisProjectMemory(ChatMemoryStore store, boolean summaries, Runnable onClose) {
		this.store = store;
		ChatMemoryManager.Builder builder = ChatMemoryManager.builder(store)
			.defaultWindowPolicy(WindowPolicy.ofMessages(Texts.WINDOW_MESSAGES));
		if (summaries) {
			builder.summaries((request) -> {
				throw new IllegalStateException("The benchmark writes its summaries itself");
			}, READ_ONLY_SUMMARIES);
		}
		this.manager = builder.build();
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

	/**
	 * Store a summary of every message the message window leaves out, as a summarizer
	 * would have made it.
	 * @param conversation the conversation, prepared with {@code history} messages
	 * @param history how many messages it holds
	 */
	void summarizeLeftOut(String conversation, int history) {
		long last = history - Texts.WINDOW_MESSAGES;
		StoredMessage covered = this.store.readMessages(conversation, MessageQuery.after(last - 1, 1)).get(0);
		StoredSummary summary = new StoredSummary(UUID.randomUUID().toString(), conversation, Texts.summary(), 1,
				covered.sequence(), covered.id(), null, Instant.now(), "benchmark", 400, 15 * last);
		Instant created = this.store.findSession(conversation).orElseThrow().createdAt();
		if (this.store.saveSummary(summary, created) != SummaryWrite.STORED) {
			throw new IllegalStateException("The summary was not stored");
		}
		if (this.manager.getContextWindow(conversation).summary() == null) {
			throw new IllegalStateException("The window holds no summary: the benchmark would measure nothing new");
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
		this.manager.close();
		this.onClose.run();
	}

}
