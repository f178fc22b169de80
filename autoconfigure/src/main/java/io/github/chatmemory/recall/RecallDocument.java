package io.github.chatmemory.recall;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.github.chatmemory.MessageRole;

/**
 * A message as the recall index holds it: the text to embed and the metadata that says
 * whose message it is. Its id is derived from the session and message ids, so indexing a
 * message again replaces its vector instead of adding another.
 *
 * @param sessionId the session
 * @param userId the session's owner, whose recalls alone may find the message
 * @param messageId the message id
 * @param sequence the message's sequence in its session
 * @param role the message's role
 * @param text the text to embed, already cut to the indexed length
 */
public record RecallDocument(String sessionId, String userId, String messageId, long sequence, MessageRole role,
		String text) {

	/** Metadata key of the session's owner; every recall filters on it. */
	public static final String USER = "chat_memory_user";

	/** Metadata key of the session id. */
	public static final String SESSION = "chat_memory_session";

	/** Metadata key of the message id. */
	public static final String MESSAGE = "chat_memory_message";

	/** Metadata key of the message's sequence in its session, a number. */
	public static final String SEQUENCE = "chat_memory_sequence";

	/** Metadata key of the message's role, in lower case. */
	public static final String ROLE = "chat_memory_role";

	/**
	 * Return the document id: a name-based UUID of the session and message ids, which
	 * vector stores that only take UUIDs as ids accept too.
	 * @return the id
	 */
	public String id() {
		return id(this.sessionId, this.messageId);
	}

	/**
	 * Return the document id of a message.
	 * @param sessionId the session id
	 * @param messageId the message id
	 * @return the id
	 */
	public static String id(String sessionId, String messageId) {
		// the length prefix keeps ("a:b", "c") apart from ("a", "b:c")
		String name = sessionId.length() + ":" + sessionId + ":" + messageId;
		return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
	}

	/**
	 * Return the metadata stored with the vector.
	 * @return the metadata
	 */
	public Map<String, Object> metadata() {
		return Map.of(USER, this.userId, SESSION, this.sessionId, MESSAGE, this.messageId, SEQUENCE, this.sequence,
				ROLE, this.role.name().toLowerCase(Locale.ROOT));
	}

}
