package io.github.chatmemory.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.chatmemory.ChatSession;
import io.github.chatmemory.MessageQuery;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.SessionNotFoundException;
import io.github.chatmemory.StoredMessage;
import io.github.chatmemory.store.ChatMemoryStore;

/**
 * Case-insensitive substring search over message content, newest first. It needs no
 * word boundaries, so it works for scripts written without spaces (Thai) and for emoji.
 * <p>
 * Cost: it reads messages newest first from the store in pages and matches them in the
 * JVM, so a search costs in proportion to the messages it reads, at most
 * {@code maxScannedMessages} per call. No search module or secondary index is needed.
 */
public final class KeywordSearch {

	private static final int PAGE_SIZE = 500;

	private static final int SNIPPET_CONTEXT = 40;

	private static final Comparator<SearchHit> NEWEST_FIRST = Comparator
		.comparing((SearchHit hit) -> hit.message().createdAt())
		.thenComparingLong((hit) -> hit.message().sequence())
		.reversed();

	private final ChatMemoryStore store;

	private final int maxScannedMessages;

	/**
	 * Create a search.
	 * @param store the store to read
	 * @param maxScannedMessages the most messages one search reads
	 */
	public KeywordSearch(ChatMemoryStore store, int maxScannedMessages) {
		this.store = store;
		this.maxScannedMessages = maxScannedMessages;
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
		Scan scan = new Scan(query, needed(page, size));
		scan.session(sessionId, true);
		return scan.result(page, size);
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
		Scan scan = new Scan(query, needed(page, size));
		int sessionPage = 0;
		PagedResult<ChatSession> sessions;
		do {
			sessions = this.store.findSessionsByUser(userId, sessionPage++, 100);
			for (ChatSession session : sessions.items()) {
				// sessions come newest activity first: one whose last activity is older
				// than enough hits cannot add a newer one
				if (scan.isFull() && session.updatedAt().isBefore(scan.oldestNeededHit())) {
					return scan.result(page, size);
				}
				scan.session(session.id(), false);
				if (scan.limitReached) {
					return scan.result(page, size);
				}
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
		return (int) Math.min(((long) page + 1) * size, this.maxScannedMessages);
	}

	/**
	 * Find the first case-insensitive occurrence of a query, comparing character by
	 * character so that indexes refer to the original text.
	 * @param text the text
	 * @param query the query
	 * @return the index, or -1
	 */
	static int indexOfIgnoreCase(String text, String query) {
		for (int i = 0; i + query.length() <= text.length(); i++) {
			if (text.regionMatches(true, i, query, 0, query.length())) {
				return i;
			}
		}
		return -1;
	}

	/** The hits and budget of one search call. */
	private final class Scan {

		private final String query;

		private final int needed;

		private final List<SearchHit> hits = new ArrayList<>();

		private long scanned;

		private boolean limitReached;

		Scan(String query, int needed) {
			this.query = query;
			this.needed = needed;
		}

		void session(String sessionId, boolean mustExist) {
			Long before = null;
			int found = 0;
			while (found < this.needed) {
				int pageSize = (int) Math.min(PAGE_SIZE, KeywordSearch.this.maxScannedMessages - this.scanned);
				if (pageSize <= 0) {
					this.limitReached = true;
					return;
				}
				List<StoredMessage> messages;
				try {
					messages = KeywordSearch.this.store.readMessages(sessionId,
							(before != null) ? MessageQuery.before(before, pageSize) : MessageQuery.latest(pageSize));
				}
				catch (SessionNotFoundException ex) {
					if (mustExist) {
						throw ex;
					}
					return;
				}
				this.scanned += messages.size();
				for (int i = messages.size() - 1; i >= 0 && found < this.needed; i--) {
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

		private SearchHit match(String sessionId, StoredMessage message) {
			int start = indexOfIgnoreCase(message.content(), this.query);
			if (start < 0) {
				return null;
			}
			int end = start + this.query.length();
			String content = message.content();
			int from = Math.max(0, start - SNIPPET_CONTEXT);
			int to = Math.min(content.length(), end + SNIPPET_CONTEXT);
			// never cut a surrogate pair (an emoji) in half
			if (from > 0 && Character.isLowSurrogate(content.charAt(from))) {
				from--;
			}
			if (to < content.length() && Character.isLowSurrogate(content.charAt(to))) {
				to++;
			}
			return new SearchHit(sessionId, message, start, end, content.substring(from, to));
		}

		boolean isFull() {
			return this.hits.size() >= this.needed;
		}

		java.time.Instant oldestNeededHit() {
			this.hits.sort(NEWEST_FIRST);
			return this.hits.get(this.needed - 1).message().createdAt();
		}

		SearchResult result(int page, int size) {
			this.hits.sort(NEWEST_FIRST);
			int from = (int) Math.min(this.hits.size(), (long) page * size);
			int to = Math.min(this.hits.size(), from + size);
			return new SearchResult(this.query, this.hits.subList(from, to), page, size, this.scanned,
					this.limitReached);
		}

	}

}
