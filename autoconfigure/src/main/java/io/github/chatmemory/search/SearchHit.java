package io.github.chatmemory.search;

import io.github.chatmemory.StoredMessage;

/**
 * A message that matches a keyword search, and where the first match is.
 *
 * @param sessionId the session of the message
 * @param message the matching message
 * @param matchStart the index of the first matching character in the content
 * @param matchEnd the index after the last matching character
 * @param snippet the content around the match
 */
public record SearchHit(String sessionId, StoredMessage message, int matchStart, int matchEnd, String snippet) {
}
