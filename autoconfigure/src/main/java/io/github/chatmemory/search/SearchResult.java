package io.github.chatmemory.search;

import java.util.List;

/**
 * One page of keyword search hits, newest first, and how much the search read: when a
 * limit cut it short, older matches may exist.
 *
 * @param query the searched text
 * @param hits the hits of this page
 * @param page the zero-based page
 * @param size the page size
 * @param scannedMessages how many messages were read to answer
 * @param scanLimitReached whether the scan stopped at its message limit
 * @param scannedCharacters how many characters of content were matched against
 * @param characterLimitReached whether the scan stopped at its character limit
 * @param scannedSessions how many sessions a user-wide search visited (1 for a session
 * search)
 * @param sessionLimitReached whether a user-wide search stopped at its session limit
 * @param timedOut whether the scan stopped at its deadline
 */
public record SearchResult(String query, List<SearchHit> hits, int page, int size, long scannedMessages,
		boolean scanLimitReached, long scannedCharacters, boolean characterLimitReached, long scannedSessions,
		boolean sessionLimitReached, boolean timedOut) {

	public SearchResult {
		hits = List.copyOf(hits);
	}

	/**
	 * Whether any limit cut the search short, so older matches may exist.
	 * @return whether the search is incomplete
	 */
	public boolean truncated() {
		return this.scanLimitReached || this.characterLimitReached || this.sessionLimitReached || this.timedOut;
	}

}
