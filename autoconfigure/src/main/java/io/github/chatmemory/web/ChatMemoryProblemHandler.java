package io.github.chatmemory.web;

import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.SessionAlreadyExistsException;
import io.github.chatmemory.SessionInactiveException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.transfer.ImportTooLargeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns the chat memory API's errors into RFC 9457 problem details: 400 naming the field
 * and the rule, 401/403 for access, 404 for unknown sessions, 409 for conflicts, 413 for
 * oversized imports, 503 with {@code Retry-After} when the store is down.
 */
@RestControllerAdvice(assignableTypes = ChatMemoryRestController.class)
public class ChatMemoryProblemHandler extends ResponseEntityExceptionHandler {

	/** Seconds a client should wait before retrying when the store is down. */
	public static final String RETRY_AFTER_SECONDS = "5";

	private static final Log logger = LogFactory.getLog(ChatMemoryProblemHandler.class);

	@ExceptionHandler(ImportTooLargeException.class)
	ResponseEntity<ProblemDetail> importTooLarge(ImportTooLargeException ex) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, "Import document too large", ex.getMessage(), null);
	}

	@ExceptionHandler(ChatMemoryValidationException.class)
	ResponseEntity<ProblemDetail> badInput(ChatMemoryValidationException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage(), ex.getField());
	}

	@ExceptionHandler(SessionNotFoundException.class)
	ResponseEntity<ProblemDetail> notFound(SessionNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Session not found", ex.getMessage(), null);
	}

	@ExceptionHandler(SessionAlreadyExistsException.class)
	ResponseEntity<ProblemDetail> conflict(SessionAlreadyExistsException ex) {
		return problem(HttpStatus.CONFLICT, "Session already exists", ex.getMessage(), null);
	}

	@ExceptionHandler(SessionInactiveException.class)
	ResponseEntity<ProblemDetail> inactive(SessionInactiveException ex) {
		return problem(HttpStatus.CONFLICT, "Session is deactivated", ex.getMessage(), null);
	}

	@ExceptionHandler(ChatMemoryAccessDeniedException.class)
	ResponseEntity<ProblemDetail> accessDenied(ChatMemoryAccessDeniedException ex) {
		return ex.isAuthenticated() ? problem(HttpStatus.FORBIDDEN, "Forbidden", ex.getMessage(), null)
				: problem(HttpStatus.UNAUTHORIZED, "Unauthorized", ex.getMessage(), null);
	}

	@ExceptionHandler(ChatMemoryUnavailableException.class)
	ResponseEntity<ProblemDetail> unavailable(ChatMemoryUnavailableException ex) {
		logger.warn("Chat memory store unavailable: " + ex.getMessage());
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		body.setTitle("Chat memory store unavailable");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(body);
	}

	/**
	 * Say what was wrong with an unreadable body (malformed JSON, a wrong type) rather
	 * than only that it could not be read.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = ex.getMostSpecificCause();
		String detail = "Request body is not valid JSON of the expected shape"
				+ ((cause != ex) ? ": " + firstLine(cause.getMessage()) : "");
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		body.setTitle("Unreadable request body");
		return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	private static String firstLine(@Nullable String message) {
		if (message == null) {
			return "";
		}
		int newline = message.indexOf('\n');
		String line = (newline >= 0) ? message.substring(0, newline) : message;
		return (line.length() > 300) ? line.substring(0, 300) + "..." : line;
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, @Nullable String detail,
			@Nullable String field) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
		body.setTitle(title);
		if (field != null) {
			body.setProperty("field", field);
		}
		return ResponseEntity.status(status).body(body);
	}

}
