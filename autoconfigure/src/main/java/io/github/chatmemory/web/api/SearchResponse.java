package io.github.chatmemory.web.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.search.SearchHit;
import io.github.chatmemory.search.SearchResult;

/**
 * Keyword search hits, newest first.
 *
 * @param query the searched text
 * @param hits the hits
 * @param page the zero-based page
 * @param size the page size
 * @param scannedMessages how many messages were read
 * @param scanLimitReached whether the scan stopped at its message limit
 * @param scannedCharacters how many characters of content were matched against
 * @param characterLimitReached whether the scan stopped at its character limit
 * @param sessionLimitReached whether a user-wide search stopped at its session limit
 * @param timedOut whether the scan stopped at its deadline
 */
public record SearchResponse(String query, List<Hit> hits, int page, int size,
		@JsonProperty("scanned_messages") long scannedMessages,
		@JsonProperty("scan_limit_reached") boolean scanLimitReached,
		@JsonProperty("scanned_characters") long scannedCharacters,
		@JsonProperty("character_limit_reached") boolean characterLimitReached,
		@JsonProperty("session_limit_reached") boolean sessionLimitReached,
		@JsonProperty("timed_out") boolean timedOut) {

	/**
	 * Describe a search result.
	 * @param result the result
	 * @return the response
	 */
	public static SearchResponse from(SearchResult result) {
		return new SearchResponse(result.query(),
				result.hits()
					.stream()
					.map((hit) -> new Hit(hit.sessionId(), HitMessage.from(hit), hit.matchStart(), hit.matchEnd(),
							hit.snippetStart(), hit.snippet()))
					.toList(),
				result.page(), result.size(), result.scannedMessages(), result.scanLimitReached(),
				result.scannedCharacters(), result.characterLimitReached(), result.sessionLimitReached(),
				result.timedOut());
	}

	/**
	 * One hit.
	 *
	 * @param sessionId the session of the message
	 * @param message which message matched (not its content: the snippet shows it)
	 * @param matchStart the index of the first matching character in the content
	 * @param matchEnd the index after the match
	 * @param snippetStart the index in the content where the snippet starts
	 * @param snippet the content around the match
	 */
	public record Hit(@JsonProperty("session_id") String sessionId, HitMessage message,
			@JsonProperty("match_start") int matchStart, @JsonProperty("match_end") int matchEnd,
			@JsonProperty("snippet_start") int snippetStart, String snippet) {
	}

	/**
	 * The message of a hit.
	 *
	 * @param id the message id
	 * @param sequence the position in the session
	 * @param role {@code user}, {@code assistant}, {@code system} or {@code tool}
	 * @param createdAt when the message was stored
	 */
	public record HitMessage(String id, long sequence, String role, @JsonProperty("created_at") Instant createdAt) {

		static HitMessage from(SearchHit hit) {
			return new HitMessage(hit.messageId(), hit.sequence(), hit.role().name().toLowerCase(Locale.ROOT),
					hit.createdAt());
		}

	}

}
