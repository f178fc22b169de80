package io.github.chatmemory.benchmarks;

import java.util.ArrayList;
import java.util.List;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.tokenizer.JTokkitTokenCountEstimator;
import org.springframework.ai.tokenizer.TokenCountEstimator;

/**
 * Spring AI's own {@link MessageWindowChatMemory} over a {@link ChatMemoryRepository},
 * with max-messages set to keep the history. It has no window read of its own, so a
 * window is what its users would do: {@code get} the conversation and keep the newest
 * messages that fit.
 */
final class SpringAiMemory extends ChatMemoryUnderTest {

	private final ChatMemoryRepository repository;

	private final int maxMessages;

	private final Runnable onClose;

	private final TokenCountEstimator tokens = new JTokkitTokenCountEstimator();

	private ChatMemory chatMemory;

	SpringAiMemory(ChatMemoryRepository repository, int maxMessages, Runnable onClose) {
		this.repository = repository;
		this.maxMessages = maxMessages;
		this.onClose = onClose;
	}

	@Override
	public void prepare(String conversation, int history) {
		this.chatMemory = MessageWindowChatMemory.builder()
			.chatMemoryRepository(this.repository)
			.maxMessages(Math.max(this.maxMessages, history))
			.build();
		List<Message> messages = new ArrayList<>(history);
		for (int i = 0; i < history; i++) {
			messages.add((i % 2 == 0) ? new UserMessage(Texts.message(i)) : new AssistantMessage(Texts.message(i)));
		}
		this.repository.deleteByConversationId(conversation);
		this.repository.saveAll(conversation, messages);
	}

	@Override
	public int readMessageWindow(String conversation) {
		List<Message> all = this.chatMemory.get(conversation);
		return all.subList(Math.max(0, all.size() - Texts.WINDOW_MESSAGES), all.size()).size();
	}

	@Override
	public int readTokenWindow(String conversation) {
		List<Message> all = this.chatMemory.get(conversation);
		int budget = Texts.WINDOW_TOKENS;
		int kept = 0;
		for (int i = all.size() - 1; i >= 0; i--) {
			budget -= this.tokens.estimate(all.get(i).getText()) + 4;
			if (budget < 0) {
				break;
			}
			kept++;
		}
		return kept;
	}

	@Override
	ChatMemory chatMemory() {
		return this.chatMemory;
	}

	@Override
	public long count(String conversation) {
		return this.repository.findByConversationId(conversation).size();
	}

	@Override
	public void close() {
		this.onClose.run();
	}

}
