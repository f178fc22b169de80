package io.github.chatmemory.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.chatmemory.RetentionRun;
import io.github.chatmemory.store.ChatMemoryStore;

/**
 * Deletes the sessions of a store that have had no activity for a given age, in
 * batches, and records the run. Internal to chat memory:
 * {@link io.github.chatmemory.ChatMemoryManager#cleanupOlderThan} is the API.
 */
public final class SessionRetention {

	private static final int BATCH_SIZE = 500;

	private final ChatMemoryStore store;

	private final Clock clock;

	/**
	 * Create a retention run over a store.
	 * @param store the store, behind the failure boundary
	 * @param clock the clock that age is measured with
	 */
	public SessionRetention(ChatMemoryStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	/**
	 * Delete every session without activity for the given age, and record the run for
	 * the statistics.
	 * @param maxAge how long a session may be inactive, already checked to be positive
	 * @return how many sessions were deleted
	 */
	public long deleteInactiveFor(Duration maxAge) {
		Instant now = this.clock.instant();
		Instant cutoff = now.minus(maxAge);
		// a session whose index entry a crash lost would otherwise never be found
		this.store.repairIndexes();
		long deleted = 0;
		List<String> candidates;
		Set<String> seen = new HashSet<>();
		do {
			candidates = this.store.findSessionIdsInactiveSince(cutoff, BATCH_SIZE);
			for (String id : candidates) {
				// activity may have come in since the listing: the store decides atomically
				if (this.store.deleteSessionIfInactiveSince(id, cutoff)) {
					deleted++;
				}
			}
		}
		while (candidates.size() == BATCH_SIZE && seen.addAll(candidates));
		this.store.recordRetentionRun(new RetentionRun(now, cutoff, deleted));
		return deleted;
	}

}
