package io.github.chatmemory.support;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.chatmemory.ChatMemoryUnavailableException;

import org.springframework.util.Assert;

/**
 * Bounds how many heavy operations of one kind (searches, imports, exports) run at once,
 * so that a few callers cannot take the memory or the shared store connection from all
 * others: past the limit a call waits briefly, then fails as the store being busy would
 * (REST 503 with {@code Retry-After}).
 */
public final class ConcurrencyLimit {

	private static final Duration WAIT = Duration.ofMillis(200);

	private final String operations;

	private final int maxConcurrent;

	private final Semaphore permits;

	/**
	 * Create a limit.
	 * @param operations what is limited, in the plural, for messages
	 * @param maxConcurrent how many may run at once
	 */
	public ConcurrencyLimit(String operations, int maxConcurrent) {
		Assert.isTrue(maxConcurrent > 0, "maxConcurrent must be positive");
		this.operations = operations;
		this.maxConcurrent = maxConcurrent;
		this.permits = new Semaphore(maxConcurrent);
	}

	/**
	 * Run an operation within the limit.
	 * @param <T> the result type
	 * @param operation the operation
	 * @return its result
	 * @throws ChatMemoryUnavailableException if too many run already
	 */
	public <T> T run(Supplier<T> operation) {
		boolean acquired;
		try {
			acquired = this.permits.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ChatMemoryUnavailableException("Interrupted while waiting to run " + this.operations, ex);
		}
		if (!acquired) {
			throw new ChatMemoryUnavailableException("Too many " + this.operations + " at once (at most "
					+ this.maxConcurrent + "); try again shortly", null);
		}
		try {
			return operation.get();
		}
		finally {
			this.permits.release();
		}
	}

}
