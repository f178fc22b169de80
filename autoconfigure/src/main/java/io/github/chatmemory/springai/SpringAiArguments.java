package io.github.chatmemory.springai;

import java.util.List;
import java.util.function.Supplier;

import io.github.chatmemory.ChatMemoryValidationException;

import org.springframework.ai.chat.messages.Message;
import org.springframework.util.Assert;

/**
 * Checks the arguments of Spring AI's memory interfaces as Spring AI's own
 * implementations do, with their messages, and speaks of a conversation where the
 * manager speaks of a session.
 */
final class SpringAiArguments {

	private static final String SESSION_ID = "sessionId";

	private static final String CONVERSATION_ID = "conversationId";

	private SpringAiArguments() {
	}

	static void conversationId(String conversationId) {
		Assert.hasText(conversationId, "conversationId cannot be null or empty");
	}

	static void messages(List<Message> messages) {
		Assert.notNull(messages, "messages cannot be null");
		Assert.noNullElements(messages, "messages cannot contain null elements");
	}

	/**
	 * Run a manager call, renaming the manager's {@code sessionId} field to Spring AI's
	 * {@code conversationId} in a validation error.
	 */
	static <T> T call(Supplier<T> call) {
		try {
			return call.get();
		}
		catch (ChatMemoryValidationException ex) {
			if (ex.getField().equals(SESSION_ID)) {
				throw new ChatMemoryValidationException(CONVERSATION_ID, ex.getRule(), ex);
			}
			throw ex;
		}
	}

	static void run(Runnable call) {
		call(() -> {
			call.run();
			return null;
		});
	}

}
