package io.github.chatmemory.web.api;

import io.github.chatmemory.ChatMemoryValidationException;
import org.jspecify.annotations.Nullable;

/**
 * Checks shared by the request types.
 */
final class Payloads {

	private Payloads() {
	}

	static <T> T required(String field, @Nullable T value) {
		if (value == null) {
			throw new ChatMemoryValidationException(field, "is required");
		}
		return value;
	}

}
