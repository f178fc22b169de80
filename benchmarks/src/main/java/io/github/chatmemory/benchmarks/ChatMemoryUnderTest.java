package io.github.chatmemory.benchmarks;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * A system used through Spring AI's {@link ChatMemory}, appending and taking chat turns
 * the way {@code MessageChatMemoryAdvisor} does.
 */
abstract class ChatMemoryUnderTest implements MemoryUnderTest {

	abstract ChatMemory chatMemory();

	@Override
	public void append(String conversation, String text) {
		chatMemory().add(conversation, new UserMessage(text));
	}

	@Override
	public void chatTurn(String conversation, String user, String answer) {
		chatMemory().get(conversation);
		chatMemory().add(conversation, new UserMessage(user));
		chatMemory().add(conversation, new AssistantMessage(answer));
	}

}
