package io.github.chatmemory;

import java.util.List;

/**
 * One page of a longer listing.
 *
 * @param <T> the item type
 * @param items the items of this page
 * @param page the zero-based page number
 * @param size the requested page size
 * @param totalItems the number of items over all pages
 */
public record PagedResult<T>(List<T> items, int page, int size, long totalItems) {

	public PagedResult {
		items = List.copyOf(items);
	}

	/**
	 * Whether a page follows this one.
	 * @return {@code true} if there are more items
	 */
	public boolean hasNext() {
		// in long arithmetic: page + 1 overflows an int at the last page number
		return ((long) this.page + 1) * this.size < this.totalItems;
	}

}
