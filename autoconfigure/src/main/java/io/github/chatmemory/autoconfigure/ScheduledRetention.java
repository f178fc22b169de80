package io.github.chatmemory.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.chatmemory.ChatMemoryManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link ChatMemoryManager#cleanupOlderThan(Duration)} on a fixed interval while
 * the application runs, on one daemon thread of its own. A failed run (the store down,
 * say) is logged and the next run goes ahead as planned.
 */
public class ScheduledRetention implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ScheduledRetention.class);

	private final ChatMemoryManager manager;

	private final Duration maxAge;

	private final Duration interval;

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Create a scheduled retention.
	 * @param manager the manager whose sessions to clean up
	 * @param maxAge how long a session may be inactive
	 * @param interval how often to clean up
	 */
	public ScheduledRetention(ChatMemoryManager manager, Duration maxAge, Duration interval) {
		if (maxAge.isNegative() || maxAge.isZero()) {
			throw new InvalidChatMemoryPropertyException("chat-memory.retention.max-age", maxAge, "must be positive",
					"Set chat-memory.retention.max-age to a positive duration such as 30d, or remove it.", null);
		}
		if (interval.isNegative() || interval.isZero()) {
			throw new InvalidChatMemoryPropertyException("chat-memory.retention.interval", interval, "must be positive",
					"Set chat-memory.retention.interval to a positive duration such as 1h.", null);
		}
		this.manager = manager;
		this.maxAge = maxAge;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.executor == null) {
			this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "chat-memory-retention");
				thread.setDaemon(true);
				return thread;
			});
			long millis = this.interval.toMillis();
			this.executor.scheduleWithFixedDelay(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * Clean up once now.
	 * @return how many sessions were deleted, or -1 if the run failed
	 */
	public long runOnce() {
		try {
			long deleted = this.manager.cleanupOlderThan(this.maxAge);
			if (deleted > 0) {
				logger.info("Chat memory retention deleted " + deleted + " sessions inactive for more than " + this.maxAge);
			}
			return deleted;
		}
		catch (RuntimeException ex) {
			logger.warn("Chat memory retention run failed; the next run is in " + this.interval, ex);
			return -1;
		}
	}

}
