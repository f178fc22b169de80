package io.github.chatmemory.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.github.chatmemory.ChatMemoryManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Runs {@link ChatMemoryManager#cleanupOlderThan(Duration)} on a fixed delay while the
 * application runs, on a {@link TaskScheduler}, under a {@link Lock} that lets one
 * instance at a time clean up a shared store. A failed run (the store down, say) is
 * logged and the next run goes ahead as planned.
 */
public class ScheduledRetention implements SmartLifecycle, DisposableBean {

	/** What {@link #runOnce()} returns when the run failed. */
	public static final long FAILED = -1;

	/** What {@link #runOnce()} returns when another instance was cleaning up. */
	public static final long SKIPPED = -2;

	private static final Log logger = LogFactory.getLog(ScheduledRetention.class);

	private final ChatMemoryManager manager;

	private final Duration maxAge;

	private final Duration interval;

	private final TaskScheduler scheduler;

	private final Lock lock;

	private @Nullable ThreadPoolTaskScheduler ownScheduler;

	private @Nullable ScheduledFuture<?> schedule;

	/**
	 * Create a scheduled retention.
	 * @param manager the manager whose sessions to clean up
	 * @param maxAge how long a session may be inactive
	 * @param interval how long between the end of a run and the start of the next
	 * @param scheduler the scheduler that runs the cleanups
	 * @param lock what lets one instance at a time clean up, {@link Lock#NONE} for a
	 * store no other instance cleans up
	 */
	public ScheduledRetention(ChatMemoryManager manager, Duration maxAge, Duration interval, TaskScheduler scheduler,
			Lock lock) {
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
		this.scheduler = scheduler;
		this.lock = lock;
	}

	/**
	 * Create a scheduled retention on a scheduler of its own, which it shuts down when
	 * destroyed.
	 * @param manager the manager whose sessions to clean up
	 * @param maxAge how long a session may be inactive
	 * @param interval how long between the end of a run and the start of the next
	 * @param scheduler the scheduler, initialized, that only this retention uses
	 * @param lock what lets one instance at a time clean up
	 * @return the scheduled retention
	 */
	static ScheduledRetention withOwnScheduler(ChatMemoryManager manager, Duration maxAge, Duration interval,
			ThreadPoolTaskScheduler scheduler, Lock lock) {
		ScheduledRetention retention = new ScheduledRetention(manager, maxAge, interval, scheduler, lock);
		retention.ownScheduler = scheduler;
		return retention;
	}

	/**
	 * Return the scheduler that runs the cleanups.
	 * @return the scheduler
	 */
	public TaskScheduler getScheduler() {
		return this.scheduler;
	}

	@Override
	public synchronized void start() {
		if (this.schedule == null) {
			this.schedule = this.scheduler.scheduleWithFixedDelay(this::runOnce, Instant.now().plus(this.interval),
					this.interval);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.schedule != null) {
			this.schedule.cancel(true);
			this.schedule = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.schedule != null;
	}

	@Override
	public void destroy() {
		if (this.ownScheduler != null) {
			this.ownScheduler.destroy();
		}
	}

	/**
	 * Clean up once now, unless another instance is cleaning up.
	 * @return how many sessions were deleted, {@link #SKIPPED} if another instance was
	 * cleaning up, or {@link #FAILED} if the run failed
	 */
	public long runOnce() {
		try {
			AtomicLong deleted = new AtomicLong();
			if (!this.lock.runExclusively(() -> deleted.set(this.manager.cleanupOlderThan(this.maxAge)))) {
				logger.info("Chat memory retention skipped: another instance is cleaning up; the next run is in "
						+ this.interval);
				return SKIPPED;
			}
			if (deleted.get() > 0) {
				logger.info("Chat memory retention deleted " + deleted.get() + " sessions inactive for more than "
						+ this.maxAge);
			}
			return deleted.get();
		}
		catch (RuntimeException ex) {
			logger.warn("Chat memory retention run failed; the next run is in " + this.interval, ex);
			return FAILED;
		}
	}

	/**
	 * Lets one instance at a time run a cleanup of a store they share.
	 */
	@FunctionalInterface
	public interface Lock {

		/** For a store no other instance cleans up: every run goes ahead. */
		Lock NONE = (task) -> {
			task.run();
			return true;
		};

		/**
		 * Run a task unless another instance holds the lock.
		 * @param task the task
		 * @return whether the task ran
		 */
		boolean runExclusively(Runnable task);

	}

}
