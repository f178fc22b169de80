package io.github.chatmemory.web.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.search.SearchResult;

/**
 * Keyword search hits, newest first.
 *
 * @param query the searched text
 * @param hits the hits
 * @param page the zero-based page
 * @param size the page size
 * @param scannedMessages how many messages were read
 * @param scanLimitReached whether the scan stopped at its limit
 */
public record SearchResponse(String query, List<Hit> hits, int page, int size,
		@JsonProperty("scanned_messages") long scannedMessages,
		@JsonProperty("scan_limit_reached") boolean scanLimitReached) {

	/**
	 * Describe a search result.
	 * @param result the result
	 * @return the response
	 */
	public static SearchResponse from(SearchResult result) {
		return new SearchResponse(result.query(),
				result.hits()
					.stream()
					.map((hit) -> new Hit(hit.sessionId(), MessageResponse.from(hit.message()), hit.matchStart(),
							hit.matchEnd(), hit.snippet()))
					.toList(),
				result.page(), result.size(), result.scannedMessages(), result.scanLimitReached());
	}

	/**
	 * One hit.
	 *
	 * @param sessionId the session of the message
	 * @param message the message
	 * @param matchStart the index of the first matching character in the content
	 * @param matchEnd the index after the match
	 * @param snippet the content around the match
	 */
		public record Hit(@JsonProperty("session_id") String sessionId, MessageResponse message,
				@JsonProperty("match_start") int matchStart, @JsonProperty("match_end") int matchEnd, String snippet) {
	}

}
