package io.github.chatmemory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies of JSON-compatible metadata maps, which may hold {@code null} values that
 * {@link Map#copyOf(Map)} rejects.
 */
final class JsonValues {

	private JsonValues() {
	}

	static Map<String, Object> immutableCopy(Map<String, Object> metadata) {
		if (metadata.isEmpty()) {
			return Map.of();
		}
		return Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
	}

}
