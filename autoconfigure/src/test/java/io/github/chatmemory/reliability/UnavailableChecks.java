package io.github.chatmemory.reliability;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.test.RecordingHttpClient.Exchange;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Soft checks that a transient Redis reply reached the application as an unavailable
 * store, shared by the tests that provoke those replies for real.
 */
final class UnavailableChecks {

	private UnavailableChecks() {
	}

	/**
	 * Check that a store-level call fails with {@link ChatMemoryUnavailableException}
	 * caused by the server's reply, not by a timeout.
	 * @param softly collects the failures
	 * @param reply the reply code, such as {@code LOADING}
	 * @param storeCall the call
	 */
	static void checkStoreUnavailable(SoftAssertions softly, String reply, ThrowingCallable storeCall) {
		Throwable thrown = null;
		try {
			storeCall.call();
		}
		catch (Throwable ex) {
			thrown = ex;
		}
		softly.assertThat(thrown)
			.as("store-level call while Redis answers %s", reply)
			.isInstanceOf(ChatMemoryUnavailableException.class);
		softly.assertThat(thrown).as("cause of the store-level failure").hasStackTraceContaining(reply);
	}

	/**
	 * Check that an HTTP answer is 503 as a problem with {@code Retry-After}, and came
	 * before the command timeout, so it is the reply's doing and not a timeout's.
	 * @param softly collects the failures
	 * @param reply the reply code, such as {@code LOADING}
	 * @param exchange the exchange
	 * @param commandTimeout the application's command timeout
	 */
	static void checkRest(SoftAssertions softly, String reply, Exchange exchange, Duration commandTimeout) {
		softly.assertThat(exchange.status()).as("%s while Redis answers %s", exchange.describe(), reply).isEqualTo(503);
		softly.assertThat(exchange.headers().firstValue("Content-Type"))
			.as("Content-Type of %s", exchange.describe())
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		softly.assertThat(exchange.headers().firstValue("Retry-After"))
			.as("Retry-After of %s", exchange.describe())
			.isPresent();
		softly.assertThat(exchange.elapsed())
			.as("%s came before the command timeout, from the %s reply", exchange.describe(), reply)
			.isLessThan(commandTimeout);
	}

	/**
	 * Wait up to 20 seconds for a condition, failing if it never holds.
	 * @param what the condition, for the failure message
	 * @param condition the condition
	 */
	static void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited 20 s for " + what).isLessThan(deadline);
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
