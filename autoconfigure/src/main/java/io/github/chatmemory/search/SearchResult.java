package io.github.chatmemory.search;

import java.util.List;

/**
 * One page of keyword search hits, newest first.
 *
 * @param query the searched text
 * @param hits the hits of this page
 * @param page the zero-based page
 * @param size the page size
 * @param scannedMessages how many messages were read to answer
 * @param scanLimitReached whether the scan stopped at its limit, so older matches may
 * exist
 */
public record SearchResult(String query, List<SearchHit> hits, int page, int size, long scannedMessages,
		boolean scanLimitReached) {

	public SearchResult {
		hits = List.copyOf(hits);
	}

}
