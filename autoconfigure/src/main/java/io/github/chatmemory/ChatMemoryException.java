package io.github.chatmemory;

import org.jspecify.annotations.Nullable;

/**
 * Base class of the exceptions that chat memory throws for conditions other than bad
 * arguments.
 */
public class ChatMemoryException extends RuntimeException {

	public ChatMemoryException(String message) {
		super(message);
	}

	public ChatMemoryException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
