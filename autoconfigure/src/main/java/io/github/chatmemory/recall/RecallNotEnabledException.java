package io.github.chatmemory.recall;

import io.github.chatmemory.ChatMemoryException;

/**
 * Thrown when semantic recall is asked for but is not switched on.
 */
public class RecallNotEnabledException extends ChatMemoryException {

	public RecallNotEnabledException() {
		super("Semantic recall is not enabled: it needs an EmbeddingModel bean and chat-memory.recall.enabled=true");
	}

}
