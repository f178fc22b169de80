package io.github.chatmemory.summary;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.ChatMemoryStore.SummaryWrite;
import io.github.chatmemory.window.ContextWindow;
import io.github.chatmemory.window.ContextWindowBuilder;
import io.github.chatmemory.window.MessageTokenCounter;
import io.github.chatmemory.window.WindowMessage;
import io.github.chatmemory.window.WindowPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Makes one summary of a session: the messages that its context window leaves out and
 * that its latest summary does not cover, folded into that summary, at most a bounded
 * number per run, and stored only if the session has not moved on meanwhile (see
 * {@link ChatMemoryStore#saveSummary(StoredSummary, Instant)}). Its cost follows what is new, not
 * the whole history.
 */
public final class SessionSummarizer {

	private final ChatMemoryStore store;

	private final ContextWindowBuilder windowBuilder;

	private final MessageTokenCounter tokenCounter;

	private final ChatMemorySummarizer summarizer;

	private final SummarySettings settings;

	private final Clock clock;

	/**
	 * Create a summarizer of sessions.
	 * @param store the store
	 * @param windowBuilder builds the windows whose left-out messages are summarized
	 * @param tokenCounter counts tokens
	 * @param summarizer writes summary texts
	 * @param settings how much to summarize
	 * @param clock the clock for the summaries' creation times
	 */
	public SessionSummarizer(ChatMemoryStore store, ContextWindowBuilder windowBuilder,
			MessageTokenCounter tokenCounter, ChatMemorySummarizer summarizer, SummarySettings settings, Clock clock) {
		this.store = store;
		this.windowBuilder = windowBuilder;
		this.tokenCounter = tokenCounter;
		this.summarizer = summarizer;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Return the settings.
	 * @return the settings
	 */
	public SummarySettings getSettings() {
		return this.settings;
	}

	/**
	 * Make a summary of a session if there is something to summarize.
	 * @param sessionId the session
	 * @param policy the window policy whose left-out messages are summarized
	 * @param force whether to summarize even fewer left-out tokens than the trigger
	 * @param cancelled tells whether the run was given up (timed out): then nothing is
	 * stored
	 * @return what happened
	 * @throws SessionNotFoundException if the session does not exist
	 */
	public Run run(String sessionId, WindowPolicy policy, boolean force, BooleanSupplier cancelled) {
		// read before the messages: a summary is stored only into the session it was made of,
		// and only if no import rewrote its history after this version
		ChatSession basis = this.store.findSession(sessionId).orElseThrow(() -> new SessionNotFoundException(sessionId));
		Instant createdAt = basis.createdAt();
		// a summary is made of text: the media of the window and of the messages folded in
		// would be read (up to max-messages-per-run of them) and never used
		ContextWindow window = this.windowBuilder.build(sessionId, policy.withoutMedia())
			.orElseThrow(() -> new SessionNotFoundException(sessionId));
		Optional<StoredSummary> latest = this.store.findLatestSummary(sessionId);
		long boundary = oldestKept(window);
		long after = latest.map(StoredSummary::toSequence).orElse(0L);
		if (boundary <= after + 1) {
			return new Run(Status.NOTHING_TO_SUMMARIZE, null);
		}
		List<StoredMessage> fold = new ArrayList<>();
		long foldTokens = 0;
		List<StoredMessage> page = this.store.readMessages(sessionId,
				MessageQuery.after(after, this.settings.maxMessagesPerRun()).withoutMedia());
		for (StoredMessage message : page) {
			int tokens = this.tokenCounter.count(message);
			if (message.sequence() >= boundary
					|| (!fold.isEmpty() && foldTokens + tokens > this.settings.maxTokensPerRun())) {
				break;
			}
			fold.add(message);
			foldTokens += tokens;
		}
		if (fold.isEmpty()) {
			return new Run(Status.NOTHING_TO_SUMMARIZE, null);
		}
		boolean full = fold.size() == this.settings.maxMessagesPerRun()
				|| foldTokens >= Math.min(this.settings.triggerTokens(), this.settings.maxTokensPerRun());
		if (!force && !full) {
			return new Run(Status.BELOW_TRIGGER, null);
		}
		List<StoredMessage> conversation = fold.stream().filter((m) -> m.role() != MessageRole.SYSTEM).toList();
		ChatMemorySummarizer.Summary written = this.summarizer.summarize(new ChatMemorySummarizer.Request(sessionId,
				latest.map(StoredSummary::text).orElse(null), conversation, this.settings.maxSummaryTokens()));
		if (cancelled.getAsBoolean()) {
			return new Run(Status.CANCELLED, null);
		}
		if (written == null || written.text() == null || written.text().isBlank()) {
			throw new IllegalStateException("The summarizer answered no text");
		}
		StoredMessage last = fold.get(fold.size() - 1);
		long from = latest.map(StoredSummary::fromSequence).orElse(fold.get(0).sequence());
		long covered = latest.map(StoredSummary::coveredTokens).orElse(0L) + foldTokens;
		StoredSummary candidate = new StoredSummary(UUID.randomUUID().toString(), sessionId, written.text().strip(),
				from, last.sequence(), last.id(), latest.map(StoredSummary::id).orElse(null),
				this.clock.instant().truncatedTo(ChronoUnit.MILLIS), written.model(), 0, covered);
		int tokens = this.tokenCounter.count(candidate);
		if (tokens > 2 * this.settings.maxSummaryTokens() + MessageTokenCounter.MESSAGE_OVERHEAD) {
			throw new IllegalStateException("The summarizer answered " + tokens + " tokens, more than twice the "
					+ this.settings.maxSummaryTokens() + " asked for");
		}
		StoredSummary summary = new StoredSummary(candidate.id(), sessionId, candidate.text(), from,
				last.sequence(), last.id(), candidate.extendsId(), candidate.createdAt(), candidate.model(), tokens,
				covered);
		SummaryWrite write = this.store.saveSummary(summary, createdAt, basis.version());
		return switch (write) {
			case STORED -> new Run(Status.STORED, summary);
			case SESSION_NOT_FOUND -> throw new SessionNotFoundException(sessionId);
			default -> new Run(Status.STALE, null);
		};
	}

	/**
	 * The sequence of the oldest message the window keeps besides the pinned system
	 * message; 0 when it keeps none, so that nothing is summarized.
	 */
	private static long oldestKept(ContextWindow window) {
		for (WindowMessage message : window.messages()) {
			if (!message.pinned()) {
				return message.message().sequence();
			}
		}
		return 0;
	}

	/**
	 * What a run did.
	 *
	 * @param status what happened
	 * @param summary the stored summary, when {@link Status#STORED}
	 */
	public record Run(Status status, @Nullable StoredSummary summary) {
	}

	/**
	 * What happened in a run.
	 */
	public enum Status {

		/** A summary was stored. */
		STORED,

		/** The window leaves out no message that the latest summary does not cover. */
		NOTHING_TO_SUMMARIZE,

		/** Fewer left-out tokens than the trigger; nothing was asked of the summarizer. */
		BELOW_TRIGGER,

		/** The session moved on while the summary was made; it was dropped. */
		STALE,

		/** The run was given up (timed out) before its summary was stored. */
		CANCELLED

	}

}
