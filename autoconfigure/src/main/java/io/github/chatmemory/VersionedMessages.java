package io.github.chatmemory;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Messages of a session together with the session's version they belong to: the version
 * an append left the session at, or the version a read saw.
 *
 * @param messages the messages in ascending sequence order (for an append: one for each
 * given message, in order)
 * @param version the session's version, or {@code null} when a read spanned several
 * store replies between which the session was written to, so that no one version
 * describes what was read
 */
public record VersionedMessages(List<StoredMessage> messages, @Nullable Long version) {

	public VersionedMessages {
		messages = List.copyOf(messages);
	}

}
