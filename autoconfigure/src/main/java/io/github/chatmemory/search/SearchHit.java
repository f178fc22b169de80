package io.github.chatmemory.search;

import java.time.Instant;

import io.github.chatmemory.MessageRole;

/**
 * A message that matches a keyword search: which message, where the first match is, and
 * a bounded snippet around it (never the whole content, which can be large).
 *
 * @param sessionId the session of the message
 * @param messageId the id of the message
 * @param sequence the position of the message in its session
 * @param role the role of the message
 * @param createdAt when the message was stored
 * @param matchStart the index of the first matching character in the content
 * @param matchEnd the index after the last matching character
 * @param snippetStart the index in the content where the snippet starts
 * @param snippet the content around the match, whole grapheme clusters only
 */
public record SearchHit(String sessionId, String messageId, long sequence, MessageRole role, Instant createdAt,
		int matchStart, int matchEnd, int snippetStart, String snippet) {
}
