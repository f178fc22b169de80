package io.github.chatmemory.recall;

import java.util.List;

/**
 * The messages semantic recall found for a query, most similar first.
 *
 * @param hits the messages, most similar first, newest session first on equal scores
 */
public record RecallResult(List<RecallHit> hits) {

	public RecallResult {
		hits = List.copyOf(hits);
	}

}
