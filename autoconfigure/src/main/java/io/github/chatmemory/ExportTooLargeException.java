package io.github.chatmemory;

/**
 * Thrown when a session holds more than an import accepts, so its export could not be
 * imported back; nothing was written.
 */
public class ExportTooLargeException extends ChatMemoryException {

	/**
	 * Create an exception.
	 * @param message what is too large and the limit
	 */
	public ExportTooLargeException(String message) {
		super(message);
	}

}
