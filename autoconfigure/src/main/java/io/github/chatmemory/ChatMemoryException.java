package io.github.chatmemory;

/**
 * Base class of the exceptions that chat memory throws for conditions other than bad
 * arguments.
 */
public class ChatMemoryException extends RuntimeException {

	public ChatMemoryException(String message) {
		super(message);
	}

	public ChatMemoryException(String message, Throwable cause) {
		super(message, cause);
	}

}
