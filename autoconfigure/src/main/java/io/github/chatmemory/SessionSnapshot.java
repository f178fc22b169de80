package io.github.chatmemory;

import java.util.List;

/**
 * A session with all of its messages, as exported or imported.
 *
 * @param session the session
 * @param messages every message in ascending sequence order
 */
public record SessionSnapshot(ChatSession session, List<StoredMessage> messages) {

	public SessionSnapshot {
		messages = List.copyOf(messages);
	}

}
