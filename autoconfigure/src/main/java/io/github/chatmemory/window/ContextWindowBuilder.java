package io.github.chatmemory.window;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.MessageRole;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.StoredSummary;
import io.github.chatmemory.ToolCall;
import io.github.chatmemory.ToolResponse;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.store.ChatMemoryStore.RecentMessages;
import io.github.chatmemory.window.ContextWindow.WindowSummary;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link ContextWindow} from the newest messages backwards, reading the store in
 * pages only until the window is full, so its cost follows the window and not the
 * history.
 * <p>
 * Rules: the newest system message is pinned first and counted; older system messages are
 * left out; an assistant message with tool calls and the tool responses after it are kept
 * or dropped together, and dropped when a call has no response, unless the call is the
 * newest message of the session (a call in flight, whose responses are not stored yet);
 * a tool response message is kept only when every response in it answers a call of the
 * assistant message right before its run of tool messages, and answers it first (so an
 * OpenAI-compatible API never sees a response whose call id is not in the prompt); the
 * included messages are the newest contiguous run of eligible messages that fits both
 * limits; a message larger than the whole token budget is left out and ends the window,
 * never truncated; by default the window starts on a user message, or on the call in
 * flight when no user message comes before it in the window.
 * <p>
 * With summaries, the newest messages come first: the walk keeps the newest user turn
 * (the newest user message and everything after it) before it places the session's
 * latest summary, and places it only into the room left under both limits; then it goes
 * on with older messages until the summary's range. A summary that does not fit is left
 * out, and the window holds messages it covers instead.
 * <p>
 * Bounded work: once the window is full the walk stops, and it never passes over more
 * left-out messages (superseded system messages, orphan tool responses) than it keeps
 * plus {@value #LOOK_BACK}, so a history of thousands of system messages costs a few
 * pages, not the whole history.
 */
public final class ContextWindowBuilder {

	private static final int MAX_PAGE_SIZE = 1000;

	private static final int TOKEN_ONLY_FIRST_PAGE = 64;

	private static final int FIRST_PAGE_SLACK = 16;

	/** How many left-out messages the walk may pass over beyond the number it keeps. */
	static final int LOOK_BACK = 64;

	private final ChatMemoryStore store;

	private final MessageTokenCounter tokenCounter;

	private final boolean summaries;

	/**
	 * Create a builder of windows without summaries.
	 * @param store the store to read
	 * @param tokenCounter how to count a message's tokens
	 */
	public ContextWindowBuilder(ChatMemoryStore store, MessageTokenCounter tokenCounter) {
		this(store, tokenCounter, false);
	}

	/**
	 * Create a builder.
	 * @param store the store to read
	 * @param tokenCounter how to count a message's tokens
	 * @param summaries whether a window holds the session's latest summary, after the
	 * pinned system message, in place of the messages it covers, when it fits after the
	 * newest user turn: one more store read per window
	 */
	public ContextWindowBuilder(ChatMemoryStore store, MessageTokenCounter tokenCounter, boolean summaries) {
		this.store = store;
		this.tokenCounter = tokenCounter;
		this.summaries = summaries;
	}

	/**
	 * Build the context window of a session.
	 * @param sessionId the session
	 * @param policy the limits
	 * @return the window, or empty if the session does not exist
	 */
	public Optional<ContextWindow> build(String sessionId, WindowPolicy policy) {
		// a little more than the message limit, for the messages that the rules leave out
		int firstPage = (policy.maxMessages() != null)
				? Math.min(policy.maxMessages(), MAX_PAGE_SIZE - FIRST_PAGE_SLACK) + FIRST_PAGE_SLACK
				: TOKEN_ONLY_FIRST_PAGE;
		// the latest summary comes with the first page, in the same round trip
		RecentMessages recent = this.store.readRecent(sessionId, firstPage, policy.includeMedia(), this.summaries);
		if (!recent.exists()) {
			return Optional.empty();
		}
		StoredSummary summary = recent.latestSummary();
		return Optional.of(new Selection(sessionId, policy, recent, firstPage, summary).select());
	}

	/** One window being built: walks the history newest first, unit by unit. */
	private final class Selection {

		private final String sessionId;

		private final WindowPolicy policy;

		private final long sessionMessageCount;

		private final Map<LeftOutReason, Long> leftOut = new EnumMap<>(LeftOutReason.class);

		private final Deque<WindowMessage> kept = new ArrayDeque<>();

		private final NewestFirst history;

		private @Nullable WindowMessage pinned;

		/** The session's latest summary, whether or not the window holds it. */
		private final @Nullable StoredSummary latestSummary;

		/** The latest summary while the walk has not yet decided whether it goes in. */
		private @Nullable StoredSummary pendingSummary;

		private @Nullable WindowSummary summary;

		/** The sequence of the newest system message, pinned or oversized; -1 if none. */
		private long pinnedSequence = -1;

		/** The kept call in flight at the end of the session, if any. */
		private @Nullable StoredMessage callInFlight;

		private long tokens;

		Selection(String sessionId, WindowPolicy policy, RecentMessages recent, int firstPage,
				@Nullable StoredSummary summary) {
			this.sessionId = sessionId;
			this.policy = policy;
			this.sessionMessageCount = recent.messageCount();
			this.history = new NewestFirst(sessionId, policy.includeMedia(), recent.messages(),
					recent.messages().size() == firstPage, firstPage, this::readAllowance);
			this.latestSummary = summary;
			this.pendingSummary = summary;
			pin(recent.latestSystemMessage());
		}

		/**
		 * Put the latest summary after the pinned system message if it fits into the room
		 * the messages kept so far leave, counted against both limits as a message of its
		 * own; the walk then stops at the messages it covers. Decided once.
		 */
		private void placeSummary() {
			StoredSummary latest = this.pendingSummary;
			this.pendingSummary = null;
			if (latest == null) {
				return;
			}
			int summaryTokens = ContextWindowBuilder.this.tokenCounter.count(latest);
			if (used() + 1 <= this.policy.messageLimit() && this.tokens + summaryTokens <= this.policy.tokenLimit()) {
				this.summary = new WindowSummary(latest, summaryTokens);
				this.tokens += summaryTokens;
			}
		}

		/** Whether the kept messages hold the newest user turn: they start on a user message. */
		private boolean newestTurnKept() {
			return !this.kept.isEmpty() && this.kept.peekFirst().message().role() == MessageRole.USER;
		}

		private void pin(@Nullable StoredMessage system) {
			if (system == null) {
				return;
			}
			int systemTokens = ContextWindowBuilder.this.tokenCounter.count(system);
			if (systemTokens > this.policy.tokenLimit()) {
				count(LeftOutReason.OVERSIZED, 1);
			}
			else {
				this.pinned = new WindowMessage(system, systemTokens, true);
				this.tokens = systemTokens;
			}
			this.pinnedSequence = system.sequence();
		}

		ContextWindow select() {
			LeftOutReason stop = null;
			StoredMessage message;
			while (stop == null) {
				stop = beforeNext();
				if (stop != null || (message = this.history.next()) == null) {
					break;
				}
				if (this.pendingSummary != null && message.sequence() <= this.pendingSummary.toSequence()) {
					// the walk reached the summary's range before the newest user turn was whole
					placeSummary();
				}
				if (this.summary != null && message.sequence() <= this.summary.summary().toSequence()) {
					stop = LeftOutReason.COVERED_BY_SUMMARY;
					break;
				}
				stop = consider(message);
				if (stop == null && this.pendingSummary != null && newestTurnKept()) {
					placeSummary();
				}
			}
			if (stop != null) {
				// a limit stopped the walk before the newest user turn was whole: the summary
				// still goes in if it fits into the room left
				placeSummary();
				long accounted = this.kept.size() + ((this.pinned != null) ? 1 : 0) + leftOutSoFar();
				long rest = this.sessionMessageCount - accounted;
				if (rest > 0) {
					// everything older than the stopping point is left out for the same
					// reason, except what the summary in the window covers
					long covered = (stop != LeftOutReason.COVERED_BY_SUMMARY) ? coveredNotRead(rest) : 0;
					count(stop, rest - covered);
					count(LeftOutReason.COVERED_BY_SUMMARY, covered);
				}
			}
			else {
				// the whole history fits without it
				this.pendingSummary = null;
			}
			if (this.policy.startOnUserMessage() && stop != null) {
				// as Spring AI 2.0 does, snap only a window that a limit cut: a whole history
				// is sent as it is. A call in flight is never snapped away: the tool loop
				// sends its responses next, and they need it right before them
				while (!this.kept.isEmpty() && this.kept.peekFirst().message().role() != MessageRole.USER
						&& this.kept.peekFirst().message() != this.callInFlight) {
					WindowMessage dropped = this.kept.removeFirst();
					this.tokens -= dropped.tokens();
					count(LeftOutReason.BEFORE_FIRST_USER_MESSAGE, 1);
				}
			}
			List<WindowMessage> messages = new ArrayList<>(this.kept.size() + 1);
			if (this.pinned != null) {
				messages.add(this.pinned);
			}
			messages.addAll(this.kept);
			return new ContextWindow(this.sessionId, this.policy, messages, this.tokens, this.sessionMessageCount,
					this.leftOut, this.summary, this.latestSummary);
		}

		/**
		 * How many of the messages the walk left out without reading them the summary in
		 * the window covers: those older than its range's end, counted from the sequences
		 * between that end and the oldest message read (a session's sequences have no gaps
		 * there, as only the oldest messages are ever trimmed).
		 * @param rest the messages left out and not yet counted
		 */
		private long coveredNotRead(long rest) {
			if (this.summary == null || this.history.examined() == 0) {
				return 0;
			}
			long to = this.summary.summary().toSequence();
			long unread = this.sessionMessageCount - this.history.examined();
			long newerThanRange = Math.max(0, this.history.oldestTaken() - to - 1);
			// the pinned system message is accounted for already, wherever it lies
			long pinnedInRange = (this.pinnedSequence != -1 && this.pinnedSequence <= to) ? 1 : 0;
			return Math.max(0, Math.min(rest, unread - newerThanRange - pinnedInRange));
		}

		/**
		 * Consider the next message backwards, with the messages that belong with it.
		 * @return the reason to stop, or {@code null} to go on
		 */
		private @Nullable LeftOutReason consider(StoredMessage message) {
			boolean newest = this.history.examined() == 1;
			if (message.role() == MessageRole.SYSTEM) {
				if (message.sequence() != this.pinnedSequence) {
					count(LeftOutReason.SUPERSEDED_SYSTEM_MESSAGE, 1);
				}
				return null;
			}
			if (message.role() == MessageRole.TOOL) {
				List<StoredMessage> responses = new ArrayList<>();
				responses.add(message);
				while (this.history.peek() != null && this.history.peek().role() == MessageRole.TOOL) {
					if (overLookBack()) {
						return LeftOutReason.LOOK_BACK_LIMIT;
					}
					responses.add(this.history.next());
				}
				StoredMessage call = this.history.peek();
				if (call == null || call.role() != MessageRole.ASSISTANT || call.toolCalls().isEmpty()) {
					count(LeftOutReason.ORPHAN_TOOL_RESPONSE, responses.size());
					return null;
				}
				this.history.next();
				return toolGroup(call, responses, newest);
			}
			if (message.role() == MessageRole.ASSISTANT && !message.toolCalls().isEmpty()) {
				return toolGroup(message, List.of(), newest);
			}
			return add(List.of(message));
		}

		/**
		 * Consider an assistant message with tool calls and the run of tool messages after
		 * it.
		 * @param call the assistant message
		 * @param responses the tool messages after it, newest first
		 * @param inFlight whether the group ends the session, so missing responses may
		 * still come
		 */
		private @Nullable LeftOutReason toolGroup(StoredMessage call, List<StoredMessage> responses,
				boolean inFlight) {
			Set<String> callIds = new HashSet<>();
			boolean distinctCalls = true;
			for (ToolCall toolCall : call.toolCalls()) {
				distinctCalls &= callIds.add(toolCall.id());
			}
			Set<String> answered = new HashSet<>();
			List<StoredMessage> unit = new ArrayList<>(responses.size() + 1);
			unit.add(call);
			int orphans = 0;
			for (int i = responses.size() - 1; i >= 0; i--) {
				StoredMessage response = responses.get(i);
				if (answersOpenCalls(response, callIds, answered)) {
					unit.add(response);
				}
				else {
					orphans++;
				}
			}
			boolean whole = distinctCalls && answered.size() == callIds.size();
			if (!whole && !(inFlight && distinctCalls)) {
				count(LeftOutReason.INCOMPLETE_TOOL_GROUP, unit.size());
				count(LeftOutReason.ORPHAN_TOOL_RESPONSE, orphans);
				return null;
			}
			LeftOutReason stop = add(unit);
			if (stop == null) {
				count(LeftOutReason.ORPHAN_TOOL_RESPONSE, orphans);
				if (!whole) {
					this.callInFlight = call;
				}
			}
			return stop;
		}

		/**
		 * Whether every response of a tool message answers a call of the group that no
		 * earlier response answered; if so, those calls become answered.
		 */
		private boolean answersOpenCalls(StoredMessage message, Set<String> callIds, Set<String> answered) {
			if (message.toolResponses().isEmpty()) {
				return false;
			}
			Set<String> ids = new HashSet<>();
			for (ToolResponse response : message.toolResponses()) {
				if (!callIds.contains(response.id()) || answered.contains(response.id()) || !ids.add(response.id())) {
					return false;
				}
			}
			answered.addAll(ids);
			return true;
		}

		/**
		 * Check, before the walk takes another message, whether the window is already full
		 * or has passed over as many left-out messages as it may.
		 */
		private @Nullable LeftOutReason beforeNext() {
			if (used() >= this.policy.messageLimit()) {
				return LeftOutReason.MESSAGE_LIMIT;
			}
			return overLookBack() ? LeftOutReason.LOOK_BACK_LIMIT : null;
		}

		private boolean overLookBack() {
			return passedOver() >= this.kept.size() + LOOK_BACK;
		}

		/** Messages the walk has taken but not kept. */
		private long passedOver() {
			return this.history.examined() - this.kept.size();
		}

		/**
		 * The most messages the walk may still take: each message it keeps allows one more
		 * to be passed over, so a kept slot is worth two.
		 */
		private int readAllowance() {
			long passOver = this.kept.size() + LOOK_BACK - passedOver();
			long keep = (this.policy.maxMessages() != null) ? 2L * (this.policy.messageLimit() - used())
					: Integer.MAX_VALUE;
			// one more, for the assistant message a run of tool responses needs
			return (int) Math.max(1, Math.min(Integer.MAX_VALUE, passOver + keep + 1));
		}

		private int used() {
			return this.kept.size() + ((this.pinned != null) ? 1 : 0) + ((this.summary != null) ? 1 : 0);
		}

		private @Nullable LeftOutReason add(List<StoredMessage> unit) {
			if (used() + unit.size() > this.policy.messageLimit()) {
				return LeftOutReason.MESSAGE_LIMIT;
			}
			int[] unitTokens = new int[unit.size()];
			long sum = 0;
			for (int i = 0; i < unit.size(); i++) {
				unitTokens[i] = ContextWindowBuilder.this.tokenCounter.count(unit.get(i));
				sum += unitTokens[i];
			}
			if (this.tokens + sum > this.policy.tokenLimit()) {
				if (unit.size() == 1 && sum > this.policy.tokenLimit()) {
					count(LeftOutReason.OVERSIZED, 1);
				}
				return LeftOutReason.TOKEN_BUDGET;
			}
			for (int i = unit.size() - 1; i >= 0; i--) {
				this.kept.addFirst(new WindowMessage(unit.get(i), unitTokens[i], false));
			}
			this.tokens += sum;
			return null;
		}

		private long leftOutSoFar() {
			return this.leftOut.values().stream().mapToLong(Long::longValue).sum();
		}

		private void count(LeftOutReason reason, long messages) {
			if (messages > 0) {
				this.leftOut.merge(reason, messages, Long::sum);
			}
		}

	}

	/**
	 * The session's messages newest first, read from the store a page at a time, each
	 * page twice the size of the one before but never more than the walk may still take.
	 */
	private final class NewestFirst {

		private final String sessionId;

		private final boolean includeMedia;

		private final Deque<StoredMessage> buffer = new ArrayDeque<>();

		private boolean more;

		private int pageSize;

		private long oldestSequence = Long.MAX_VALUE;

		private final IntSupplier allowance;

		private long examined;

		private long oldestTaken = Long.MAX_VALUE;

		NewestFirst(String sessionId, boolean includeMedia, List<StoredMessage> firstPage, boolean more,
				int pageSize, IntSupplier allowance) {
			this.sessionId = sessionId;
			this.includeMedia = includeMedia;
			this.more = more;
			this.pageSize = pageSize;
			this.allowance = allowance;
			take(firstPage);
		}

		/** How many messages {@link #next()} has returned. */
		long examined() {
			return this.examined;
		}

		/** The sequence of the oldest message {@link #next()} has returned. */
		long oldestTaken() {
			return this.oldestTaken;
		}

		@Nullable StoredMessage peek() {
			fill();
			return this.buffer.peekFirst();
		}

		@Nullable StoredMessage next() {
			fill();
			StoredMessage next = this.buffer.pollFirst();
			if (next != null) {
				this.examined++;
				this.oldestTaken = next.sequence();
			}
			return next;
		}

		private void fill() {
			if (!this.buffer.isEmpty() || !this.more) {
				return;
			}
			this.pageSize = Math.min(this.pageSize * 2, MAX_PAGE_SIZE);
			int size = Math.min(this.pageSize, this.allowance.getAsInt());
			try {
				List<StoredMessage> page = ContextWindowBuilder.this.store.readMessages(this.sessionId,
						MessageQuery.before(this.oldestSequence, size).withMedia(this.includeMedia));
				this.more = page.size() == size;
				take(page);
			}
			catch (SessionNotFoundException ex) {
				// deleted while the window was being built: it ends here
				this.more = false;
			}
		}

		private void take(List<StoredMessage> ascending) {
			for (int i = ascending.size() - 1; i >= 0; i--) {
				this.buffer.addLast(ascending.get(i));
			}
			if (!ascending.isEmpty()) {
				this.oldestSequence = ascending.get(0).sequence();
			}
		}

	}

}
