package io.github.chatmemory;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the store behind chat memory cannot be reached or does not answer in
 * time. Nothing was changed by the failed call unless its write had already reached the
 * store; retrying with the same message ids is safe.
 */
public class ChatMemoryUnavailableException extends ChatMemoryException {

	public ChatMemoryUnavailableException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
