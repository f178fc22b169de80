package io.github.chatmemory;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.github.chatmemory.support.JsonValues;
import org.jspecify.annotations.Nullable;

/**
 * A conversation: its owner, title, metadata and activity. The session id is the
 * Spring AI conversation id.
 *
 * @param id the session id
 * @param userId the owning user, {@code null} for sessions created implicitly through
 * Spring AI's {@code ChatMemory}
 * @param title the title shown to users, may be empty
 * @param metadata arbitrary JSON-compatible metadata
 * @param active whether the session accepts new messages
 * @param createdAt when the session was created
 * @param updatedAt the last activity (creation, message, rename or switch)
 * @param messageCount how many messages the session holds
 * @param version a number that moves on every write to the session (an append that
 * stores something, a rename, a switch, a clear, a replacement or an import), for
 * version-checked writes; a session starts at 1 (sessions stored before versions existed
 * read as 0 until their next write)
 */
public record ChatSession(String id, @Nullable String userId, String title, Map<String, Object> metadata,
		boolean active, Instant createdAt, Instant updatedAt, long messageCount, long version) {

	public ChatSession {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(title, "title");
		Objects.requireNonNull(createdAt, "createdAt");
		Objects.requireNonNull(updatedAt, "updatedAt");
		metadata = JsonValues.immutableCopy(metadata);
	}

	/**
	 * Create a session whose version is not known, such as one about to be imported.
	 * @param id the session id
	 * @param userId the owning user
	 * @param title the title
	 * @param metadata the metadata
	 * @param active whether the session accepts new messages
	 * @param createdAt when the session was created
	 * @param updatedAt the last activity
	 * @param messageCount how many messages the session holds
	 */
	public ChatSession(String id, @Nullable String userId, String title, Map<String, Object> metadata,
			boolean active, Instant createdAt, Instant updatedAt, long messageCount) {
		this(id, userId, title, metadata, active, createdAt, updatedAt, messageCount, 0);
	}

}
