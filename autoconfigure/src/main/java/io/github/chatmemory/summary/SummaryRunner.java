package io.github.chatmemory.summary;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.chatmemory.ChatMemoryException;
import io.github.chatmemory.ChatMemoryUnavailableException;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.SummaryConflictException;
import io.github.chatmemory.summary.SessionSummarizer.Run;
import io.github.chatmemory.summary.SessionSummarizer.Status;
import io.github.chatmemory.summary.SummaryListener.DropReason;
import io.github.chatmemory.window.ContextWindow;
import io.github.chatmemory.window.WindowMessage;
import io.github.chatmemory.window.WindowPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs {@link SessionSummarizer} off the request path: on a bounded pool with a bounded
 * queue (work that does not fit is dropped and counted, never waited for), at most one
 * run at a time per session in this instance (across instances the store's check decides
 * which summary is stored), each run given up after the timeout. A failing or slow
 * summarizer is logged and counted and never reaches a chat turn: the window goes on
 * with the latest stored summary, or none.
 */
public final class SummaryRunner implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SummaryRunner.class);

	private final SessionSummarizer summarizer;

	private final SummaryListener listener;

	private final ThreadPoolExecutor pool;

	private final ScheduledThreadPoolExecutor timeouts;

	/** The sessions with a run queued or running, each with its run's token. */
	private final ConcurrentHashMap<String, Object> running = new ConcurrentHashMap<>();

	/**
	 * Create a runner.
	 * @param summarizer makes the summaries
	 * @param threads the most runs at a time
	 * @param queueCapacity the most runs waiting
	 * @param listener told of every outcome
	 */
	public SummaryRunner(SessionSummarizer summarizer, int threads, int queueCapacity, SummaryListener listener) {
		if (threads < 1 || queueCapacity < 1) {
			throw new IllegalArgumentException(
					"threads and queueCapacity must be positive but were " + threads + " and " + queueCapacity);
		}
		this.summarizer = summarizer;
		this.listener = listener;
		this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(queueCapacity), daemonThreads("chat-memory-summary-"),
				new ThreadPoolExecutor.AbortPolicy());
		this.pool.allowCoreThreadTimeOut(true);
		this.timeouts = new ScheduledThreadPoolExecutor(1, daemonThreads("chat-memory-summary-timeout-"));
		this.timeouts.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Look at a window built with the default policy and, when the messages it leaves out
	 * and the session's latest summary does not cover seem to pass the trigger, queue a
	 * run for its session. No I/O: the estimate is the window's left-out sequences after
	 * the latest summary (which the window read, also when it did not fit) times its mean
	 * message size; the run counts exactly before it asks the summarizer.
	 * @param window the window
	 */
	public void windowBuilt(ContextWindow window) {
		long oldest = 0;
		long keptTokens = 0;
		int kept = 0;
		for (WindowMessage message : window.messages()) {
			if (!message.pinned()) {
				oldest = (kept == 0) ? message.message().sequence() : oldest;
				keptTokens += message.tokens();
				kept++;
			}
		}
		if (kept == 0 || window.leftOutCount() == 0) {
			return;
		}
		long covered = (window.latestSummary() != null) ? window.latestSummary().toSequence() : 0;
		long uncovered = Math.min(window.leftOutCount(), oldest - covered - 1);
		if (uncovered > 0 && uncovered * (keptTokens / kept) >= this.summarizer.getSettings().triggerTokens()) {
			submit(window.sessionId(), window.policy());
		}
	}

	/**
	 * Queue a run for a session unless one is queued or running.
	 * @param sessionId the session
	 * @param policy the window policy whose left-out messages are summarized
	 * @return whether a run was queued
	 */
	public boolean submit(String sessionId, WindowPolicy policy) {
		try {
			return start(sessionId, policy, false) != null;
		}
		catch (RejectedExecutionException ex) {
			this.listener.dropped(sessionId, DropReason.QUEUE_FULL);
			return false;
		}
	}

	/**
	 * Make a summary of a session now, whatever the trigger, and wait for it, at most the
	 * summary timeout in all (in the queue and running): a request thread is never held
	 * longer.
	 * @param sessionId the session
	 * @param policy the window policy whose left-out messages are summarized
	 * @return the stored summary
	 * @throws SummaryConflictException if a run for the session is queued or running,
	 * there is nothing to summarize, or the session moved on meanwhile
	 * @throws ChatMemoryUnavailableException if the queue is full or the run failed or
	 * took too long
	 */
	public StoredSummary summarizeNow(String sessionId, WindowPolicy policy) {
		FutureTask<Run> task;
		try {
			task = start(sessionId, policy, true);
		}
		catch (RejectedExecutionException ex) {
			this.listener.dropped(sessionId, DropReason.QUEUE_FULL);
			throw new ChatMemoryUnavailableException("Too many summaries are being made; try again later", ex);
		}
		if (task == null) {
			throw new SummaryConflictException(sessionId, "A summary of session '" + sessionId + "' is being made");
		}
		long start = System.nanoTime();
		Run run;
		try {
			// bounds the wait in the queue too, where the run's own timeout has not started
			run = task.get(this.summarizer.getSettings().timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (CancellationException | TimeoutException ex) {
			if (task.cancel(true)) {
				// a queued run leaves the queue now, not when a thread would have taken it
				this.pool.remove(task);
				logger.warn("Summary of chat memory session '" + sessionId + "' took longer than "
						+ this.summarizer.getSettings().timeout() + "; given up");
				this.listener.failed(sessionId, since(start), true);
			}
			throw new ChatMemoryUnavailableException("The summary took longer than allowed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ChatMemoryUnavailableException("Interrupted while a summary was made", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof ChatMemoryException failure) {
				throw failure;
			}
			throw new ChatMemoryUnavailableException("The summary could not be made", ex.getCause());
		}
		return switch (run.status()) {
			case STORED -> run.summary();
			case STALE -> throw new SummaryConflictException(sessionId,
					"Session '" + sessionId + "' moved on while its summary was made; try again");
			case CANCELLED -> throw new ChatMemoryUnavailableException("The summary took longer than allowed", null);
			default -> throw new SummaryConflictException(sessionId, "Session '" + sessionId
					+ "' has no messages left out of its context window that its latest summary does not cover");
		};
	}

	/**
	 * Start a run unless one for the session is queued or running.
	 * @return the run, or {@code null} if one is queued or running already
	 */
	private FutureTask<Run> start(String sessionId, WindowPolicy policy, boolean force) {
		Object token = new Object();
		if (this.running.putIfAbsent(sessionId, token) != null) {
			return null;
		}
		AtomicReference<FutureTask<Run>> self = new AtomicReference<>();
		FutureTask<Run> task = new FutureTask<>(() -> run(sessionId, policy, force, token, self.get())) {

			@Override
			protected void done() {
				// also when cancelled, running or still queued (a cancelled queued task never
				// runs): a cancelled run stores nothing, so a later one for the session may start
				SummaryRunner.this.running.remove(sessionId, token);
			}

		};
		self.set(task);
		try {
			this.pool.execute(task);
		}
		catch (RejectedExecutionException ex) {
			this.running.remove(sessionId, token);
			throw ex;
		}
		return task;
	}

	private Run run(String sessionId, WindowPolicy policy, boolean force, Object token, FutureTask<Run> task) {
		long start = System.nanoTime();
		ScheduledFuture<?> timer = this.timeouts.schedule(() -> {
			if (task.cancel(true)) {
				logger.warn("Summary of chat memory session '" + sessionId + "' took longer than "
						+ this.summarizer.getSettings().timeout() + "; given up");
				this.listener.failed(sessionId, since(start), true);
			}
		}, this.summarizer.getSettings().timeout().toMillis(), TimeUnit.MILLISECONDS);
		try {
			Run run = this.summarizer.run(sessionId, policy, force, task::isCancelled);
			switch (run.status()) {
				case STORED -> this.listener.made(run.summary(), since(start));
				case STALE -> this.listener.dropped(sessionId, DropReason.STALE);
				default -> {
				}
			}
			return run;
		}
		catch (SessionNotFoundException ex) {
			// deleted meanwhile: nothing to summarize, nothing failed
			throw ex;
		}
		catch (RuntimeException ex) {
			if (!task.isCancelled()) {
				logger.warn("Could not summarize chat memory session '" + sessionId + "'", ex);
				this.listener.failed(sessionId, since(start), false);
			}
			throw ex;
		}
		finally {
			timer.cancel(false);
			// before the result is handed out (done() comes after), so a caller that got it
			// may start the next run at once
			this.running.remove(sessionId, token);
		}
	}

	private static Duration since(long startNanos) {
		return Duration.ofNanos(System.nanoTime() - startNanos);
	}

	/**
	 * Stop taking runs and give up the queued ones; a running one finishes on its own.
	 */
	@Override
	public void close() {
		this.pool.shutdownNow();
		this.timeouts.shutdownNow();
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
