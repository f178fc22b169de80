package io.github.chatmemory.web.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.ChatSession;
import io.github.chatmemory.PagedResult;

/**
 * One page of a user's sessions, newest activity first.
 *
 * @param sessions the sessions of this page
 * @param page the zero-based page
 * @param size the page size
 * @param totalItems the number of sessions over all pages
 * @param hasNext whether a page follows
 */
public record SessionPageResponse(List<SessionResponse> sessions, int page, int size,
		@JsonProperty("total_items") long totalItems, @JsonProperty("has_next") boolean hasNext) {

	/**
	 * Describe a page of sessions.
	 * @param result the page
	 * @return the response
	 */
	public static SessionPageResponse from(PagedResult<ChatSession> result) {
		return new SessionPageResponse(result.items().stream().map(SessionResponse::from).toList(), result.page(),
				result.size(), result.totalItems(), result.hasNext());
	}

}
