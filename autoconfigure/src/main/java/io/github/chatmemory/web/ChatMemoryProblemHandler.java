package io.github.chatmemory.web;

import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.ChatMemoryValidationException;
import io.github.chatmemory.ExportTooLargeException;
import io.github.chatmemory.IdempotencyConflictException;
import io.github.chatmemory.SessionAlreadyExistsException;
import io.github.chatmemory.SessionInactiveException;
import io.github.chatmemory.MessageNotFoundException;
import io.github.chatmemory.SessionChangedException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.SessionVersionConflictException;
import io.github.chatmemory.SummaryConflictException;
import io.github.chatmemory.recall.RecallNotEnabledException;
import io.github.chatmemory.transfer.ImportTooLargeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns the chat memory API's errors into RFC 9457 problem details: 400 naming the field
 * and the rule, 401/403 for access, 404 for unknown sessions and messages, 409 for
 * conflicts, 412 for a stale {@code If-Match} (with the current version as the
 * {@code ETag}), 413 for oversized bodies, 503 with {@code Retry-After} when the store is
 * down, and a 500 that reveals nothing for anything unexpected.
 */
@RestControllerAdvice(assignableTypes = ChatMemoryRestController.class)
public class ChatMemoryProblemHandler extends ResponseEntityExceptionHandler {

	/** Seconds a client should wait before retrying when the store is down. */
	public static final String RETRY_AFTER_SECONDS = "5";

	/** The title of the 409 for a session id that is taken, whoever owns it. */
	public static final String SESSION_ID_NOT_AVAILABLE = "Session id is not available";

	static final String SESSION_ID_NOT_AVAILABLE_DETAIL = "This session id is taken; choose another one or let the server generate one";

	private static final Log logger = LogFactory.getLog(ChatMemoryProblemHandler.class);

	@ExceptionHandler(ImportTooLargeException.class)
	ResponseEntity<ProblemDetail> importTooLarge(ImportTooLargeException ex) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, "Import document too large", ex.getMessage(), null);
	}

	@ExceptionHandler(ChatMemoryValidationException.class)
	ResponseEntity<ProblemDetail> badInput(ChatMemoryValidationException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage(), ex.getField());
	}

	/**
	 * A write's {@code If-Match} named another version: 412 with the current version as
	 * the {@code ETag}, so the client knows what to read again.
	 */
	@ExceptionHandler(SessionVersionConflictException.class)
	ResponseEntity<ProblemDetail> versionConflict(SessionVersionConflictException ex) {
		return ResponseEntity.status(HttpStatus.PRECONDITION_FAILED)
			.eTag(EntityTags.of(ex.getCurrentVersion()))
			.body(body(HttpStatus.PRECONDITION_FAILED, "Session changed",
					"The session is at version " + ex.getCurrentVersion()
							+ ", not at a version that If-Match names; read it again",
					null));
	}

	@ExceptionHandler(SessionChangedException.class)
	ResponseEntity<ProblemDetail> sessionChanged(SessionChangedException ex) {
		return problem(HttpStatus.CONFLICT, "Session changed while it was read", ex.getMessage(), null);
	}

	/**
	 * A summary could not be made now: the detail says why (nothing to summarize, one
	 * being made, the session moved on, or summaries off).
	 */
	@ExceptionHandler(SummaryConflictException.class)
	ResponseEntity<ProblemDetail> summaryConflict(SummaryConflictException ex) {
		return problem(HttpStatus.CONFLICT, "Summary not made", ex.getMessage(), null);
	}

	/**
	 * Recall asked for while it is off: the endpoint is not there for this application,
	 * and the detail names the property that switches it on.
	 */
	@ExceptionHandler(RecallNotEnabledException.class)
	ResponseEntity<ProblemDetail> recallNotEnabled(RecallNotEnabledException ex) {
		return problem(HttpStatus.NOT_FOUND, "Semantic recall not enabled", ex.getMessage(), null);
	}

	@ExceptionHandler(MessageNotFoundException.class)
	ResponseEntity<ProblemDetail> messageNotFound(MessageNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Message not found", ex.getMessage(), null);
	}

	@ExceptionHandler(SessionNotFoundException.class)
	ResponseEntity<ProblemDetail> notFound(SessionNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Session not found", ex.getMessage(), null);
	}

	/**
	 * The same words whoever owns the id, so that a caller restricted to their own
	 * sessions learns only that the id is taken, never by whom.
	 */
	@ExceptionHandler(SessionAlreadyExistsException.class)
	ResponseEntity<ProblemDetail> conflict(SessionAlreadyExistsException ex) {
		return problem(HttpStatus.CONFLICT, SESSION_ID_NOT_AVAILABLE, SESSION_ID_NOT_AVAILABLE_DETAIL, null);
	}

	@ExceptionHandler(IdempotencyConflictException.class)
	ResponseEntity<ProblemDetail> idempotencyConflict(IdempotencyConflictException ex) {
		return problem(HttpStatus.CONFLICT, "Idempotency-Key reused with a different request", ex.getMessage(),
				null);
	}

	/**
	 * A session that an import would refuse is not exported: the request is fine, the
	 * session is too large to give as one importable document.
	 */
	@ExceptionHandler(ExportTooLargeException.class)
	ResponseEntity<ProblemDetail> exportTooLarge(ExportTooLargeException ex) {
		return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Session too large to export", ex.getMessage(), null);
	}

	@ExceptionHandler(RequestTooLargeException.class)
	ResponseEntity<ProblemDetail> requestTooLarge(RequestTooLargeException ex) {
		return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
			.header(HttpHeaders.CONNECTION, "close")
			.body(body(HttpStatus.CONTENT_TOO_LARGE, "Request body too large", ex.getMessage(), null));
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
		return serviceUnavailable(ex.getMessage());
	}

	/**
	 * A Spring {@code DataAccessException} that escaped the store's own classification is
	 * a 503: the store is the likely cause, so the client may retry; the details go to the
	 * log only. Anything else is a bug: a 500 problem detail that says nothing of the
	 * internals, and the stack trace in the log. ({@code DataAccessException} is matched
	 * by name: spring-tx is optional.)
	 */
	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex) throws Exception {
		if (ex.getClass().getName().startsWith("org.springframework.security.")) {
			// Spring Security's ExceptionTranslationFilter answers these
			throw ex;
		}
		if (isDataAccessException(ex.getClass())) {
			logger.error("Chat memory store failed", ex);
			return serviceUnavailable("The chat memory store could not complete the request");
		}
		logger.error("Chat memory request failed", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
				"The chat memory API could not complete the request", null);
	}

	private static boolean isDataAccessException(@Nullable Class<?> type) {
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			if ("org.springframework.dao.DataAccessException".equals(candidate.getName())) {
				return true;
			}
		}
		return false;
	}

	private static ResponseEntity<ProblemDetail> serviceUnavailable(@Nullable String detail) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(body(HttpStatus.SERVICE_UNAVAILABLE, "Chat memory store unavailable", detail, null));
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

	/**
	 * Name the query parameter, header or path variable of a 400 that Spring MVC raises
	 * while it binds the request (a value that does not convert, a missing one) as the
	 * {@code field}, as every other 400 of the API does.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
		String field = boundField(ex);
		if (field != null && body instanceof ProblemDetail problem) {
			problem.setProperty("field", field);
		}
		return super.handleExceptionInternal(ex, body, headers, statusCode, request);
	}

	private static @Nullable String boundField(Exception ex) {
		if (ex instanceof MethodArgumentTypeMismatchException mismatch) {
			return mismatch.getName();
		}
		if (ex instanceof TypeMismatchException mismatch) {
			return mismatch.getPropertyName();
		}
		if (ex instanceof MissingServletRequestParameterException missing) {
			return missing.getParameterName();
		}
		if (ex instanceof MissingRequestHeaderException missing) {
			return missing.getHeaderName();
		}
		return null;
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
		return ResponseEntity.status(status).body(body(status, title, detail, field));
	}

	private static ProblemDetail body(HttpStatus status, String title, @Nullable String detail,
			@Nullable String field) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
		body.setTitle(title);
		if (field != null) {
			body.setProperty("field", field);
		}
		return body;
	}

}
