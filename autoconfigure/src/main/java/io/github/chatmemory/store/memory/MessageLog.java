package io.github.chatmemory.store.memory;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

import io.github.chatmemory.StoredMessage;

/**
 * A session's messages in sequence order, with random access and a cheap
 * {@link #removeOldest()}: trimming the oldest message moves a start index instead of
 * shifting the whole list, so appends to a full session cost the same whatever the
 * history length.
 */
final class MessageLog extends AbstractList<StoredMessage> {

	private static final int COMPACT_THRESHOLD = 1024;

	private final List<StoredMessage> entries = new ArrayList<>();

	private int start;

	@Override
	public StoredMessage get(int index) {
		if (index < 0 || index >= size()) {
			throw new IndexOutOfBoundsException("Index " + index + " out of bounds for length " + size());
		}
		return this.entries.get(this.start + index);
	}

	@Override
	public int size() {
		return this.entries.size() - this.start;
	}

	@Override
	public boolean add(StoredMessage message) {
		return this.entries.add(message);
	}

	StoredMessage removeOldest() {
		StoredMessage first = get(0);
		this.entries.set(this.start++, null);
		// drop the vacated slots once they are many and most of the backing list
		if (this.start >= COMPACT_THRESHOLD && this.start * 2 >= this.entries.size()) {
			this.entries.subList(0, this.start).clear();
			this.start = 0;
		}
		return first;
	}

	@Override
	public void clear() {
		this.entries.clear();
		this.start = 0;
	}

}
