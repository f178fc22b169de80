package io.github.chatmemory.web.api;

import org.jspecify.annotations.Nullable;

/**
 * Checks shared by the request types.
 */
final class Payloads {

	private Payloads() {
	}

	static <T> T required(String field, @Nullable T value) {
		if (value == null) {
			throw new IllegalArgumentException(field + ": is required");
		}
		return value;
	}

}
