package io.github.chatmemory;

import java.util.Map;

import io.github.chatmemory.support.JsonValues;
import org.jspecify.annotations.Nullable;

/**
 * What a caller gives to create a session.
 *
 * @param id the session id, or {@code null} to let the manager generate one
 * @param userId the owning user
 * @param title the title, or {@code null} for none
 * @param metadata arbitrary JSON-compatible metadata
 */
public record NewSession(@Nullable String id, String userId, @Nullable String title, Map<String, Object> metadata) {

	public NewSession {
		metadata = JsonValues.immutableCopy(metadata);
	}

	/**
	 * Create a session request for a user with a generated id and no metadata.
	 * @param userId the owning user
	 * @param title the title, or {@code null}
	 * @return the request
	 */
	public static NewSession forUser(String userId, @Nullable String title) {
		return new NewSession(null, userId, title, Map.of());
	}

}
