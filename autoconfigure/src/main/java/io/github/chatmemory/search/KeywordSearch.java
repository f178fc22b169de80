package io.github.chatmemory.search;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.search.TextMatcher.Budget;
import io.github.chatmemory.search.TextMatcher.Match;
import io.github.chatmemory.search.TextMatcher.Snippet;
import io.github.chatmemory.store.ChatMemoryStore;
import io.github.chatmemory.support.ConcurrencyLimit;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Case-insensitive substring search over message content, newest first. It needs no
 * word boundaries, so it works for scripts written without spaces (Thai) and for emoji;
 * text is compared NFC-normalized and case-folded (see {@link TextMatcher}).
 * <p>
 * Cost: it reads messages newest first from the store in pages and matches them in the
 * JVM in time linear in their length, so a search costs in proportion to what it reads,
 * and {@link Limits} bound that: messages, characters, sessions of a user and time per
 * call. A result says which limit cut it short. No search module or secondary index is
 * needed.
 */
public final class KeywordSearch {

	private static final int PAGE_SIZE = 500;

	private static final int SESSION_PAGE_SIZE = 100;

	/** Characters of content shown each side of a match. */
	static final int SNIPPET_CONTEXT = 40;

	/** The longest snippet, before snapping to whole grapheme clusters. */
	static final int MAX_SNIPPET_LENGTH = 2 * SNIPPET_CONTEXT + 240;

	private static final Comparator<SearchHit> NEWEST_FIRST = Comparator.comparing(SearchHit::createdAt)
		.thenComparingLong(SearchHit::sequence)
		.reversed();

	private final ChatMemoryStore store;

	private final Limits limits;

	private final ConcurrencyLimit concurrency;

	private final LongSupplier nanoTime;

	/**
	 * Create a search with the default limits but for the messages read.
	 * @param store the store to read
	 * @param maxScannedMessages the most messages one search reads
	 */
	public KeywordSearch(ChatMemoryStore store, int maxScannedMessages) {
		this(store, Limits.defaults().withMaxScannedMessages(maxScannedMessages));
	}

	/**
	 * Create a search.
	 * @param store the store to read
	 * @param limits what one search may read and how long it may take
	 */
	public KeywordSearch(ChatMemoryStore store, Limits limits) {
		this(store, limits, System::nanoTime);
	}

	KeywordSearch(ChatMemoryStore store, Limits limits, LongSupplier nanoTime) {
		this.store = store;
		this.limits = limits;
		this.concurrency = new ConcurrencyLimit("keyword searches", limits.maxConcurrent());
		this.nanoTime = nanoTime;
	}

	/**
	 * Search one session.
	 * @param sessionId the session
	 * @param query the text to find
	 * @param page the zero-based page
	 * @param size the page size
	 * @return the hits, newest first
	 * @throws SessionNotFoundException if the session does not exist
	 */
	public SearchResult searchSession(String sessionId, String query, int page, int size) {
		return this.concurrency.run(() -> {
			Scan scan = new Scan(query, needed(page, size));
			scan.session(sessionId, true);
			return scan.result(page, size);
		});
	}

	/**
	 * Search all sessions of a user.
	 * @param userId the user
	 * @param query the text to find
	 * @param page the zero-based page
	 * @param size the page size
	 * @return the hits, newest first
	 */
	public SearchResult searchUser(String userId, String query, int page, int size) {
		return searchUser(userId, query, page, size, Set.of());
	}

	/**
	 * Search all sessions of a user but some, which are neither read nor counted against
	 * the session limit.
	 * @param userId the user
	 * @param query the text to find
	 * @param page the zero-based page
	 * @param size the page size
	 * @param excludedSessionIds the sessions to leave out
	 * @return the hits, newest first
	 */
	public SearchResult searchUser(String userId, String query, int page, int size, Set<String> excludedSessionIds) {
		return this.concurrency.run(() -> scanUser(userId, query, page, size, excludedSessionIds));
	}

	private SearchResult scanUser(String userId, String query, int page, int size, Set<String> excludedSessionIds) {
		Scan scan = new Scan(query, needed(page, size));
		scan.sessions = 0;
		int sessionPage = 0;
		PagedResult<ChatSession> sessions;
		do {
			sessions = this.store.findSessionsByUser(userId, sessionPage++, SESSION_PAGE_SIZE);
			for (ChatSession session : sessions.items()) {
				if (excludedSessionIds.contains(session.id())) {
					continue;
				}
				// sessions come newest activity first: one whose last activity is older
				// than enough hits cannot add a newer one
				if (scan.isFull() && session.updatedAt().isBefore(scan.oldestNeededHit())) {
					return scan.result(page, size);
				}
				if (scan.sessions >= this.limits.maxScannedSessions()) {
					scan.sessionLimitReached = true;
					return scan.result(page, size);
				}
				scan.sessions++;
				if (session.messageCount() > 0) {
					scan.session(session.id(), false);
				}
				if (scan.stopped()) {
					return scan.result(page, size);
				}
			}
			scan.budget.checkDeadline();
			if (scan.stopped()) {
				return scan.result(page, size);
			}
		}
		while (sessions.hasNext());
		return scan.result(page, size);
	}

	/**
	 * How many hits a page needs found before it, capped by the scan limit: no search
	 * finds more hits than it reads messages, and the cap keeps the product from
	 * overflowing.
	 */
	private int needed(int page, int size) {
		return (int) Math.min(((long) page + 1) * size, this.limits.maxScannedMessages());
	}

	/** The hits and budget of one search call. */
	private final class Scan {

		private final TextMatcher matcher;

		private final int needed;

		private final List<SearchHit> hits = new ArrayList<>();

		final Budget budget;

		private long scanned;

		private boolean limitReached;

		long sessions = 1;

		boolean sessionLimitReached;

		Scan(String query, int needed) {
			this.matcher = new TextMatcher(query);
			this.needed = needed;
			long now = KeywordSearch.this.nanoTime.getAsLong();
			this.budget = new Budget(KeywordSearch.this.limits.maxScannedCharacters(),
					now + KeywordSearch.this.limits.timeout().toNanos(), KeywordSearch.this.nanoTime);
		}

		boolean stopped() {
			return this.limitReached || this.sessionLimitReached || this.budget.exhausted();
		}

		void session(String sessionId, boolean mustExist) {
			Long before = null;
			int found = 0;
			while (found < this.needed) {
				int pageSize = (int) Math.min(PAGE_SIZE, KeywordSearch.this.limits.maxScannedMessages() - this.scanned);
				if (pageSize <= 0) {
					this.limitReached = true;
					return;
				}
				this.budget.checkDeadline();
				if (!this.budget.canRead()) {
					return;
				}
				List<StoredMessage> messages;
				try {
					// matching reads only the text: media stay in the store
					messages = KeywordSearch.this.store.readMessages(sessionId,
							((before != null) ? MessageQuery.before(before, pageSize) : MessageQuery.latest(pageSize))
								.withoutMedia());
				}
				catch (SessionNotFoundException ex) {
					if (mustExist) {
						throw ex;
					}
					return;
				}
				for (int i = messages.size() - 1; i >= 0 && found < this.needed; i--) {
					if (!this.budget.canRead()) {
						return;
					}
					this.scanned++;
					SearchHit hit = match(sessionId, messages.get(i));
					if (hit != null) {
						this.hits.add(hit);
						found++;
					}
				}
				if (messages.size() < pageSize) {
					return;
				}
				before = messages.get(0).sequence();
			}
		}

		private @Nullable SearchHit match(String sessionId, StoredMessage message) {
			String content = message.content();
			Match match = this.matcher.find(content, this.budget);
			if (match == null) {
				return null;
			}
			Snippet snippet = TextMatcher.snippet(content, match, SNIPPET_CONTEXT, MAX_SNIPPET_LENGTH);
			return new SearchHit(sessionId, message.id(), message.sequence(), message.role(), message.createdAt(),
					match.start(), match.end(), snippet.start(), snippet.text());
		}

		boolean isFull() {
			return this.hits.size() >= this.needed;
		}

		Instant oldestNeededHit() {
			this.hits.sort(NEWEST_FIRST);
			return this.hits.get(this.needed - 1).createdAt();
		}

		SearchResult result(int page, int size) {
			this.hits.sort(NEWEST_FIRST);
			int from = (int) Math.min(this.hits.size(), (long) page * size);
			int to = Math.min(this.hits.size(), from + size);
			return new SearchResult(this.matcher.query(), this.hits.subList(from, to), page, size, this.scanned,
					this.limitReached, this.budget.characters, this.budget.characterLimitReached, this.sessions,
					this.sessionLimitReached, this.budget.timedOut);
		}

	}

	/**
	 * What one search may read and how long it may take.
	 *
	 * @param maxScannedMessages the most messages one search reads
	 * @param maxScannedCharacters the most characters of content one search matches
	 * against
	 * @param maxScannedSessions the most sessions one user-wide search visits
	 * @param timeout how long one search may run before it returns what it found
	 * @param maxConcurrent how many searches may run at once
	 */
	public record Limits(int maxScannedMessages, long maxScannedCharacters, int maxScannedSessions,
			Duration timeout, int maxConcurrent) {

		public Limits {
			Assert.isTrue(maxConcurrent > 0, "maxConcurrent must be positive");
			Assert.isTrue(maxScannedMessages > 0, "maxScannedMessages must be positive");
			Assert.isTrue(maxScannedCharacters > 0, "maxScannedCharacters must be positive");
			Assert.isTrue(maxScannedSessions > 0, "maxScannedSessions must be positive");
			Assert.isTrue(timeout.compareTo(Duration.ZERO) > 0, "timeout must be positive");
		}

		/**
		 * The default limits: 10,000 messages, 10,000,000 characters, 500 sessions, 2
		 * seconds, and 4 searches at once.
		 * @return the defaults
		 */
		public static Limits defaults() {
			return new Limits(10_000, 10_000_000, 500, Duration.ofSeconds(2), 4);
		}

		/**
		 * Return a copy with the given message limit.
		 * @param maxScannedMessages the most messages one search reads
		 * @return the copy
		 */
		public Limits withMaxScannedMessages(int maxScannedMessages) {
			return new Limits(maxScannedMessages, this.maxScannedCharacters, this.maxScannedSessions, this.timeout,
					this.maxConcurrent);
		}

	}

}
