package io.github.chatmemory;

import java.util.List;

/**
 * A session with all of its messages and summaries, as exported or imported.
 *
 * @param session the session
 * @param messages every message in ascending sequence order
 * @param summaries the summaries, oldest first
 */
public record SessionSnapshot(ChatSession session, List<StoredMessage> messages, List<StoredSummary> summaries) {

	public SessionSnapshot {
		messages = List.copyOf(messages);
		summaries = List.copyOf(summaries);
	}

	/**
	 * A snapshot without summaries.
	 * @param session the session
	 * @param messages every message in ascending sequence order
	 */
	public SessionSnapshot(ChatSession session, List<StoredMessage> messages) {
		this(session, messages, List.of());
	}

}
