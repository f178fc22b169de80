package io.github.chatmemory.store;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import io.github.chatmemory.ChatMemoryUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;

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

	/**
	 * Messages of clients whose connection broke with commands in flight (HikariCP says
	 * "Connection is closed" without a SQL state for one it closed after a crash).
	 */
	private static final List<String> CONNECTION_LOSS = List.of("connection closed", "connection reset",
			"currently not connected", "broken pipe", "connection refused", "unable to connect",
			"connection is closed");

	/**
	 * SQL state classes of a database that cannot serve now: connection exception,
	 * insufficient resources, operator intervention (shutting down, crashed, starting).
	 */
	private static final List<String> UNAVAILABLE_SQL_STATE_CLASSES = List.of("08", "53", "57");

	/** Messages of waits that ended: a retry would wait as long again. */
	private static final List<String> TIMED_OUT = List.of("timed out");

	private StoreFailures() {
	}

	/**
	 * Whether a failure means the store cannot serve now.
	 * @param failure the failure
	 * @return {@code true} for connection loss, timeouts, transient server replies and
	 * any {@link DataAccessException} but a statement the database refused as written
	 */
	public static boolean isUnavailable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = next(cause)) {
			if (isStatementDefect(cause)) {
				return false;
			}
			if (cause instanceof ChatMemoryUnavailableException || cause instanceof DataAccessException
					|| cause instanceof IOException || cause instanceof TimeoutException || isSqlFailure(cause)
					|| isClientFailure(cause)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a database refused a statement as written: SQL it does not understand (or
	 * tables that are not there), a constraint the statement breaks, an API misused. A
	 * defect of the store or of its schema, not a database that cannot serve now: an
	 * answer of 503 with Retry-After would send clients into retries that cannot succeed
	 * while health says UP.
	 */
	private static boolean isStatementDefect(Throwable cause) {
		return cause instanceof BadSqlGrammarException || cause instanceof DataIntegrityViolationException
				|| cause instanceof InvalidDataAccessApiUsageException;
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
			// a connection pool's timeout says "timed out" in a SQLTransientConnectionException,
			// before the refused connections it may carry as causes
			if (cause instanceof QueryTimeoutException || cause instanceof TimeoutException
					|| cause.getClass().getSimpleName().contains("Timeout") || containsAny(cause.getMessage(), TIMED_OUT)) {
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
	 * The JDBC driver's or the pool's own word that the database cannot serve now, also
	 * where Spring did not translate it into a {@link DataAccessException}: a transaction
	 * that cannot begin for want of a connection, or a commit or rollback that a crash
	 * ended.
	 */
	private static boolean isSqlFailure(Throwable cause) {
		return cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
				|| cause instanceof SQLNonTransientConnectionException
				|| (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
						&& UNAVAILABLE_SQL_STATE_CLASSES.contains(sql.getSQLState().substring(0, 2)));
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
