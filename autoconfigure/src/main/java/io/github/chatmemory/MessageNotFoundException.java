package io.github.chatmemory;

/**
 * Thrown when a message named by its id is not in its session.
 */
public class MessageNotFoundException extends SessionException {

	private final String messageId;

	public MessageNotFoundException(String sessionId, String messageId) {
		super(sessionId, "Message '" + messageId + "' not found in session '" + sessionId + "'");
		this.messageId = messageId;
	}

	/**
	 * Return the id of the message that was not found.
	 * @return the message id
	 */
	public String getMessageId() {
		return this.messageId;
	}

}
