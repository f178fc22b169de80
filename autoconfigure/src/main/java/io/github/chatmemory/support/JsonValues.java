package io.github.chatmemory.support;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies of JSON-compatible metadata maps, which may hold {@code null} values that
 * {@link Map#copyOf(Map)} rejects. Internal to chat memory: public only for its other
 * packages, not an API to depend on.
 */
public final class JsonValues {

	private JsonValues() {
	}

	/**
	 * Return an unmodifiable copy of metadata that keeps {@code null} values.
	 * @param metadata the metadata
	 * @return the copy
	 */
	public static Map<String, Object> immutableCopy(Map<String, Object> metadata) {
		if (metadata.isEmpty()) {
			return Map.of();
		}
		return Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
	}

}
