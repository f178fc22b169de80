package io.github.chatmemory.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.chatmemory.store.ChatMemoryStore;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Reports whether the chat memory store answers a real round trip, with the store type
 * and the round-trip latency. The check waits at most the configured timeout, whatever
 * the client's own command timeout, so a health probe never hangs on a dead store.
 */
public class ChatMemoryHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

	private final ChatMemoryStore store;

	private final Duration timeout;

	private final Map<String, Object> storeDetails;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "chat-memory-health");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Create a health indicator.
	 * @param store the store to check
	 * @param timeout the longest a check may wait for the store
	 */
	public ChatMemoryHealthIndicator(ChatMemoryStore store, Duration timeout) {
		this(store, timeout, Map.of());
	}

	/**
	 * Create a health indicator that also reports fixed details of the store.
	 * @param store the store to check
	 * @param timeout the longest a check may wait for the store
	 * @param storeDetails details known without asking the store, such as its database
	 */
	public ChatMemoryHealthIndicator(ChatMemoryStore store, Duration timeout, Map<String, Object> storeDetails) {
		super("Chat memory health check failed");
		this.store = store;
		this.timeout = timeout;
		this.storeDetails = Map.copyOf(storeDetails);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		builder.withDetail("store", this.store.type()).withDetails(this.storeDetails);
		long start = System.nanoTime();
		Future<?> ping = this.executor.submit(this.store::ping);
		try {
			ping.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			builder.up().withDetail("latencyMillis", (System.nanoTime() - start) / 1_000_000.0);
		}
		catch (TimeoutException ex) {
			ping.cancel(true);
			builder.down().withDetail("error", "The store did not answer within " + this.timeout);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			builder.down(ex.getCause());
		}
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
