package io.github.chatmemory.web.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.chatmemory.PagedResult;
import io.github.chatmemory.StoredSummary;

/**
 * One page of a session's summaries, newest first.
 *
 * @param summaries the summaries of this page
 * @param page the zero-based page
 * @param size the page size
 * @param totalItems the number of summaries over all pages
 * @param hasNext whether a page follows
 */
public record SummaryPageResponse(List<SummaryResponse> summaries, int page, int size,
		@JsonProperty("total_items") long totalItems, @JsonProperty("has_next") boolean hasNext) {

	/**
	 * Describe a page of summaries.
	 * @param result the page
	 * @return the response
	 */
	public static SummaryPageResponse from(PagedResult<StoredSummary> result) {
		return new SummaryPageResponse(result.items().stream().map(SummaryResponse::from).toList(), result.page(),
				result.size(), result.totalItems(), result.hasNext());
	}

}
