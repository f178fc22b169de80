package io.github.chatmemory.transfer;

/**
 * Thrown when an import document is larger than the configured limit.
 */
public class ImportTooLargeException extends IllegalArgumentException {

	public ImportTooLargeException(String message) {
		super(message);
	}

}
