package io.github.chatmemory.store;

import java.io.IOException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import io.github.chatmemory.ChatMemoryUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Tells, once for every store, which failures mean "the store cannot serve now" (a
 * {@link ChatMemoryUnavailableException}, REST 503) and which of those a retry may
 * outlive; everything else is a programming error and is left as it is.
 */
public final class StoreFailures {

	/**
	 * Error replies of a Redis server that is up but cannot serve now: loading its data,
	 * busy with a script, a replica or a master without its replicas, a cluster without
	 * full coverage or mid-resharding. A retry may succeed.
	 */
	private static final List<String> TRANSIENT_REPLIES = List.of("LOADING", "BUSY", "READONLY", "MASTERDOWN",
			"CLUSTERDOWN", "TRYAGAIN", "NOREPLICAS");

	/**
	 * Error replies of a Redis server that refuses writes until an operator acts: out of
	 * memory, or unable to persist. Unavailable, but not worth an immediate retry.
	 */
	private static final List<String> REFUSING_REPLIES = List.of("OOM", "MISCONF");

	/** Messages of clients whose connection broke with commands in flight. */
	private static final List<String> CONNECTION_LOSS = List.of("connection closed", "connection reset",
			"currently not connected", "broken pipe", "connection refused", "unable to connect");

	/** Messages of connection pools that waited their timeout for a connection. */
	private static final List<String> POOL_TIMEOUT = List.of("timed out", "timeout");

	private StoreFailures() {
	}

	/**
	 * Whether a failure means the store cannot serve now.
	 * @param failure the failure
	 * @return {@code true} for connection loss, timeouts, transient server replies and
	 * any {@link DataAccessException}
	 */
	public static boolean isUnavailable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = next(cause)) {
			if (cause instanceof ChatMemoryUnavailableException || cause instanceof DataAccessException
					|| cause instanceof IOException || cause instanceof TimeoutException || isClientFailure(cause)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether an operation that is safe to repeat may be tried again after this failure:
	 * a lost connection or a transient server reply, but not a timeout, which has already
	 * waited as long as a caller should: a query timeout, or a connection pool that waited
	 * its connection timeout for a connection (even when it names the refused connection
	 * that made it wait).
	 * @param failure the failure
	 * @return {@code true} if a retry may succeed
	 */
	public static boolean isRetryable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = next(cause)) {
			if (cause instanceof QueryTimeoutException || cause instanceof TimeoutException
					|| cause.getClass().getSimpleName().contains("Timeout") || isPoolTimeout(cause)) {
				return false;
			}
			if (startsWithAny(cause.getMessage(), TRANSIENT_REPLIES) || containsAny(cause.getMessage(), CONNECTION_LOSS)
					|| cause instanceof IOException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Turn a failure into the exception callers see: a
	 * {@link ChatMemoryUnavailableException} naming the operation when the store cannot
	 * serve, otherwise the failure itself.
	 * @param operation what was being done, for the message
	 * @param failure the failure
	 * @return the exception to throw
	 */
	public static RuntimeException translate(String operation, RuntimeException failure) {
		if (failure instanceof ChatMemoryUnavailableException || !isUnavailable(failure)) {
			return failure;
		}
		return new ChatMemoryUnavailableException(
				"Chat memory store is unavailable (" + operation + "): " + describe(failure), failure);
	}

	/**
	 * Whether a connection pool gave up waiting for a connection, as HikariCP reports it
	 * ("Connection is not available, request timed out after ...").
	 */
	private static boolean isPoolTimeout(Throwable cause) {
		return cause instanceof SQLTransientConnectionException && containsAny(cause.getMessage(), POOL_TIMEOUT);
	}

	private static boolean isClientFailure(Throwable cause) {
		if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
				|| cause instanceof RecoverableDataAccessException) {
			return true;
		}
		String message = cause.getMessage();
		if (startsWithAny(message, TRANSIENT_REPLIES) || startsWithAny(message, REFUSING_REPLIES)
				|| containsAny(message, CONNECTION_LOSS)) {
			return true;
		}
		// the client libraries' own connection and timeout exceptions, named here so that
		// no store has to depend on another store's client
		String name = cause.getClass().getName();
		return name.startsWith("io.lettuce.core.") && (name.endsWith("ConnectionException")
				|| name.endsWith("TimeoutException") || name.endsWith("ClosedException")
				|| name.endsWith("InterruptedException"));
	}

	private static @Nullable Throwable next(Throwable cause) {
		Throwable next = cause.getCause();
		return (next != cause) ? next : null;
	}

	private static boolean startsWithAny(@Nullable String message, List<String> prefixes) {
		if (message == null) {
			return false;
		}
		for (String prefix : prefixes) {
			if (message.startsWith(prefix + " ") || message.equals(prefix)) {
				return true;
			}
		}
		return false;
	}

	private static boolean containsAny(@Nullable String message, List<String> fragments) {
		if (message == null) {
			return false;
		}
		String lower = message.toLowerCase(Locale.ROOT);
		for (String fragment : fragments) {
			if (lower.contains(fragment)) {
				return true;
			}
		}
		return false;
	}

	private static String describe(Throwable failure) {
		Throwable deepest = failure;
		for (Throwable cause = failure; cause != null; cause = next(cause)) {
			deepest = cause;
		}
		String message = String.valueOf(deepest.getMessage());
		int newline = message.indexOf('\n');
		String line = (newline >= 0) ? message.substring(0, newline) : message;
		// Redis names the script and the line a reply came from: internals, not for callers
		int script = line.indexOf(" script: ");
		return (script >= 0) ? line.substring(0, script) : line;
	}

}
