package io.github.chatmemory.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.chatmemory.ChatMemoryUnavailableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ConcurrencyLimit}.
 */
class ConcurrencyLimitTests {

	@Test
	void aCallPastTheLimitFailsAsUnavailableAndAFreedPermitServesTheNext() throws Exception {
		ConcurrencyLimit limit = new ConcurrencyLimit("imports and exports", 1);
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<String> holder = executor.submit(() -> limit.run(() -> {
				running.countDown();
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return "first";
			}));
			assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
			assertThatExceptionOfType(ChatMemoryUnavailableException.class).isThrownBy(() -> limit.run(() -> "second"))
				.withMessageContaining("Too many imports and exports at once (at most 1)");
			release.countDown();
			assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("first");
			assertThat(limit.run(() -> "third")).isEqualTo("third");
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aFailingOperationGivesItsPermitBack() {
		ConcurrencyLimit limit = new ConcurrencyLimit("searches", 1);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> limit.run(() -> {
			throw new IllegalStateException("boom");
		}));
		assertThat(limit.run(() -> "next")).isEqualTo("next");
	}

}
