package io.github.chatmemory.recall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.RecallTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Brings the recall index in line with the chat memory store, off the request path: on a
 * thread of its own, it reads the store's queue of {@link RecallTask recall tasks} in
 * passes, embeds the messages they name in batches, and completes each task with how far
 * it got. A pass does bounded work ({@code messagesPerPass}); a long session goes on in
 * the next pass. A pass that fails (embedding model, vector store or chat memory store
 * down) is logged once per streak of failures and counted, leaves its tasks queued, and
 * the next pass waits longer, up to {@code maxBackoff}. Passes run under a {@link Lock},
 * so that one instance at a time works on a queue that instances share.
 */
public class RecallIndexer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RecallIndexer.class);

	/** The most messages read from the store at once. */
	private static final int PAGE_SIZE = 100;

	private final ChatMemoryStore store;

	private final RecallIndex index;

	private final RecallIndexingSettings settings;

	private final RecallListener listener;

	private final Lock lock;

	private final Clock clock;

	private volatile boolean rebuildAllPending;

	/** Until the first pass that gets through, the store's queue order is repaired first. */
	private volatile boolean repairPending = true;

	private volatile boolean stopping;

	private final AtomicReference<Status> status;

	/** Tasks whose failure was logged, so that a task failing pass after pass is logged once. */
	private final Set<String> loggedTaskFailures = ConcurrentHashMap.newKeySet();

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Create an indexer.
	 * @param store the chat memory store, whose recall queue is enabled
	 * @param index the index to keep in line with it
	 * @param settings what to index and how much per pass
	 * @param listener told what the passes do
	 * @param lock lets one instance at a time run a pass, {@link Lock#NONE} for a store no
	 * other instance indexes
	 * @param rebuildAllOnStart whether the first pass queues a rebuild of every session,
	 * for an index that starts empty, such as the embedded one
	 * @param clock the clock for the status
	 */
	public RecallIndexer(ChatMemoryStore store, RecallIndex index, RecallIndexingSettings settings,
			RecallListener listener, Lock lock, boolean rebuildAllOnStart, Clock clock) {
		this.store = store;
		this.index = index;
		this.settings = settings;
		this.listener = listener;
		this.lock = lock;
		this.rebuildAllPending = rebuildAllOnStart;
		this.clock = clock;
		this.status = new AtomicReference<>(new Status(null, Outcome.NOT_RUN, null, 0, 0));
	}

	/**
	 * Run one pass now, on the calling thread.
	 * @return the pass's outcome, also in {@link #getStatus()}
	 */
	public PassResult runOnce() {
		try {
			List<PassTotals> totals = new ArrayList<>(1);
			if (!this.lock.runExclusively(() -> totals.add(pass()))) {
				return record(new PassResult(Outcome.SKIPPED, 0, false), null);
			}
			PassTotals pass = totals.get(0);
			long queued = this.store.countRecallTasks();
			this.listener.queueLength(queued);
			// a pass with a failed session waits the interval: the failed task is the oldest
			// and comes first again, and must not be retried in a busy loop
			return record(new PassResult(Outcome.SUCCEEDED, pass.indexed(), queued > 0 && pass.failedTasks() == 0),
					queued);
		}
		catch (RuntimeException ex) {
			return failed(ex);
		}
	}

	/**
	 * One pass: the oldest tasks first, within the budget of messages. A task that fails
	 * (a message the embedding model refuses, say) stays queued and the pass goes on with
	 * the next ones, so that one session can never hold up every other; a pass whose
	 * every task fails, as when the model or a store is down, fails as a whole.
	 * @return how many messages got vectors and how many tasks failed
	 */
	private PassTotals pass() {
		if (this.repairPending) {
			long looked = this.store.repairRecallTasks();
			this.repairPending = false;
			if (looked > 0) {
				logger.debug("Recall queue: looked at " + looked + " tasks to list those a crash left unlisted");
			}
		}
		if (this.rebuildAllPending) {
			long queued = this.store.queueRecallRebuildOfAllSessions();
			this.rebuildAllPending = false;
			logger.info("Recall index: queued " + queued + " sessions for indexing, as the index starts empty");
		}
		int budget = this.settings.messagesPerPass();
		int indexed = 0;
		int tried = 0;
		Map<RecallTask, RuntimeException> failures = new LinkedHashMap<>();
		for (RecallTask task : this.store.findRecallTasks(this.settings.tasksPerPass())) {
			if (budget <= 0 || this.stopping) {
				break;
			}
			tried++;
			try {
				Progress progress = index(task, budget);
				// a task that reads nothing still costs a round trip: count it as one message
				budget -= Math.max(1, progress.read());
				indexed += progress.indexed();
			}
			catch (RuntimeException ex) {
				failures.put(task, ex);
				budget--;
			}
		}
		if (!failures.isEmpty() && failures.size() == tried) {
			// the model or a store is down: one failed pass, not one failure per session
			throw failures.values().iterator().next();
		}
		failures.forEach(this::taskFailed);
		return new PassTotals(indexed, failures.size());
	}

	private void taskFailed(RecallTask task, RuntimeException ex) {
		this.listener.indexingFailed(ex);
		if (this.loggedTaskFailures.add(task.sessionId() + '\u0000' + task.stamp())) {
			logger.warn("Recall indexing of session '" + task.sessionId() + "' failed; it stays queued and is tried "
					+ "again in the next passes, after the other sessions (logged once per write)", ex);
		}
		if (this.loggedTaskFailures.size() > 1_000) {
			this.loggedTaskFailures.clear();
		}
	}

	private Progress index(RecallTask task, int budget) {
		Optional<ChatSession> session = this.store.findSession(task.sessionId());
		String owner = session.map(ChatSession::userId).orElse(null);
		if (task.rebuild() || owner == null) {
			this.index.deleteSession(task.sessionId());
		}
		if (owner == null) {
			// gone, or made for nobody: a session no user owns is never recalled
			this.store.completeRecallTask(task, 0, true);
			return new Progress(0, 0);
		}
		long after = task.rebuild() ? 0 : task.fromSequence() - 1;
		int read = 0;
		int indexed = 0;
		boolean finished = false;
		List<RecallDocument> documents = new ArrayList<>();
		try {
			while (!finished && read < budget) {
				int limit = Math.min(PAGE_SIZE, budget - read);
				List<StoredMessage> page = this.store
					.readVersionedMessages(task.sessionId(), MessageQuery.after(after, limit).withoutMedia())
					.messages();
				for (StoredMessage message : page) {
					String text = this.settings.textToIndex(message.role(), message.content());
					if (text != null) {
						documents.add(new RecallDocument(task.sessionId(), owner, message.id(), message.sequence(),
								message.role(), text));
					}
					if (documents.size() >= this.settings.batchSize()) {
						indexed += flush(documents);
					}
				}
				indexed += flush(documents);
				read += page.size();
				if (!page.isEmpty()) {
					after = page.get(page.size() - 1).sequence();
				}
				finished = page.size() < limit;
			}
		}
		catch (SessionNotFoundException ex) {
			// deleted while indexed: the delete queued a rebuild, which removes what was written
			return new Progress(read, indexed);
		}
		this.store.completeRecallTask(task, after, finished);
		return new Progress(read, indexed);
	}

	private int flush(List<RecallDocument> documents) {
		int count = documents.size();
		if (count > 0) {
			this.index.add(List.copyOf(documents));
			documents.clear();
			this.listener.indexed(count);
		}
		return count;
	}

	private PassResult failed(RuntimeException ex) {
		Status previous = this.status.get();
		if (previous.consecutiveFailures() == 0) {
			logger.warn("Recall indexing failed; the queued sessions stay queued and are retried, waiting up to "
					+ this.settings.maxBackoff() + " between passes (logged once until a pass succeeds)", ex);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Recall indexing failed again", ex);
		}
		this.listener.indexingFailed(ex);
		PassResult result = new PassResult(Outcome.FAILED, 0, true);
		this.status.set(new Status(this.clock.instant(), Outcome.FAILED, describe(ex),
				previous.consecutiveFailures() + 1, previous.queueLength()));
		return result;
	}

	private PassResult record(PassResult result, @Nullable Long queueLength) {
		Status previous = this.status.get();
		if (previous.consecutiveFailures() > 0 && result.outcome() == Outcome.SUCCEEDED) {
			logger.info("Recall indexing works again after " + previous.consecutiveFailures() + " failed passes");
		}
		int failures = (result.outcome() == Outcome.SKIPPED) ? previous.consecutiveFailures() : 0;
		this.status.set(new Status(this.clock.instant(), result.outcome(), null, failures,
				(queueLength != null) ? queueLength : previous.queueLength()));
		return result;
	}

	private static String describe(Throwable ex) {
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

	/**
	 * Return what the last pass did.
	 * @return the status
	 */
	public Status getStatus() {
		return this.status.get();
	}

	/**
	 * Return the index this indexer writes to.
	 * @return the index
	 */
	public RecallIndex getIndex() {
		return this.index;
	}

	@Override
	public synchronized void start() {
		if (this.executor == null) {
			this.stopping = false;
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				// a thread of its own: embedding is CPU work that must not hold up the
				// application's scheduled tasks on Boot's shared scheduler
				Thread thread = new Thread(task, "chat-memory-recall-indexer");
				thread.setDaemon(true);
				return thread;
			});
			// a stop does not wait for the next pass, only for the one under way
			executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
			this.executor = executor;
			executor.execute(this::loop);
		}
	}

	private void loop() {
		if (this.stopping) {
			return;
		}
		PassResult result = runOnce();
		ScheduledExecutorService running = this.executor;
		if (this.stopping || running == null) {
			return;
		}
		try {
			running.schedule(this::loop, delayAfter(result).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// stopped meanwhile
		}
	}

	/**
	 * Right away when a pass stopped at its budget with work left, after the interval
	 * otherwise, and after a doubling wait up to the maximum backoff after failures.
	 */
	private Duration delayAfter(PassResult result) {
		if (result.outcome() == Outcome.FAILED) {
			int failures = Math.min(this.status.get().consecutiveFailures(), 30);
			Duration backoff = this.settings.interval().multipliedBy(1L << Math.min(failures - 1, 20));
			Duration max = (this.settings.maxBackoff().compareTo(this.settings.interval()) > 0)
					? this.settings.maxBackoff() : this.settings.interval();
			return (backoff.compareTo(max) > 0) ? max : backoff;
		}
		return (result.outcome() == Outcome.SUCCEEDED && result.workLeft()) ? Duration.ZERO
				: this.settings.interval();
	}

	@Override
	public void stop() {
		ScheduledExecutorService running;
		synchronized (this) {
			running = this.executor;
			this.executor = null;
			this.stopping = true;
		}
		if (running == null) {
			return;
		}
		running.shutdown();
		try {
			// a pass stops between sessions once stopping is set; its work is bounded
			if (!running.awaitTermination(30, TimeUnit.SECONDS)) {
				running.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			running.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	/** What a pass did. */
	public enum Outcome {

		/** No pass has run yet. */
		NOT_RUN,

		/** The pass ran to its end. */
		SUCCEEDED,

		/** Another instance held the lock. */
		SKIPPED,

		/** The pass failed; its tasks stay queued. */
		FAILED

	}

	/**
	 * The result of one pass.
	 *
	 * @param outcome what the pass did
	 * @param indexed how many messages got vectors
	 * @param workLeft whether tasks are still queued
	 */
	public record PassResult(Outcome outcome, int indexed, boolean workLeft) {

	}

	/**
	 * What the last pass did, for health.
	 *
	 * @param lastPassAt when the last pass ended, {@code null} before the first
	 * @param lastOutcome what the last pass did
	 * @param lastError why the last pass failed, if it did
	 * @param consecutiveFailures how many passes in a row failed
	 * @param queueLength how many sessions waited for indexing after the last pass that
	 * counted them
	 */
	public record Status(@Nullable Instant lastPassAt, Outcome lastOutcome, @Nullable String lastError,
			int consecutiveFailures, long queueLength) {

	}

	private record Progress(int read, int indexed) {

	}

	private record PassTotals(int indexed, int failedTasks) {

	}

	/**
	 * Lets one instance at a time run an indexing pass over a queue they share.
	 */
	@FunctionalInterface
	public interface Lock {

		/** For a store no other instance indexes: every pass goes ahead. */
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
