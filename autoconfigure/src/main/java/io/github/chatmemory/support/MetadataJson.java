package io.github.chatmemory.support;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.chatmemory.ChatMemoryValidationException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes metadata as JSON, the one representation every store keeps, so that
 * metadata comes back with the same value types from every store. Internal to chat
 * memory: public only for its other packages, not an API to depend on.
 */
public final class MetadataJson {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final TypeReference<LinkedHashMap<String, Object>> MAP_TYPE = new TypeReference<>() {
	};

	private MetadataJson() {
	}

	/**
	 * Write metadata as JSON text.
	 * @param metadata the metadata
	 * @return the JSON object text
	 * @throws IllegalArgumentException if a value cannot be written as JSON
	 */
	public static String write(Map<String, Object> metadata) {
		if (metadata.isEmpty()) {
			return "{}";
		}
		try {
			return MAPPER.writeValueAsString(metadata);
		}
		catch (JacksonException ex) {
			throw new ChatMemoryValidationException("metadata", "values must be JSON values (" + ex.getOriginalMessage() + ")",
					ex);
		}
	}

	/**
	 * Read metadata from JSON text.
	 * @param json a JSON object text
	 * @return the metadata
	 */
	public static Map<String, Object> read(String json) {
		if (json.isEmpty() || "{}".equals(json)) {
			return Map.of();
		}
		return MAPPER.readValue(json, MAP_TYPE);
	}

	/**
	 * Return the metadata as it will read back from any store: plain JSON values.
	 * @param metadata the metadata
	 * @return the normalized metadata
	 * @throws IllegalArgumentException if a value cannot be written as JSON
	 */
	public static Map<String, Object> normalize(Map<String, Object> metadata) {
		return read(write(metadata));
	}

}
