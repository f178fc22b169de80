package io.github.chatmemory;

/**
 * Thrown when a message id (an idempotency key) that is already stored in a session comes
 * again with a different message: a retry must repeat the same request, and different
 * content under a known id would otherwise be dropped without a word.
 */
public class IdempotencyConflictException extends SessionException {

	private final String messageId;

	public IdempotencyConflictException(String sessionId, String messageId) {
		super(sessionId, "Message id '" + messageId + "' was already used in this session for a different message");
		this.messageId = messageId;
	}

	/**
	 * Return the message id that was reused.
	 * @return the message id
	 */
	public String getMessageId() {
		return this.messageId;
	}

}
