package io.github.chatmemory.web;

/**
 * Thrown while a request body is read when it turns out larger than the chat memory API
 * accepts; answered with 413.
 */
public class RequestTooLargeException extends RuntimeException {

	public RequestTooLargeException(long maxBytes) {
		super("Request body must be at most " + maxBytes + " bytes");
	}

}
