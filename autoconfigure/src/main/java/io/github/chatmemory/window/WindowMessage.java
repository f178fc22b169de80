package io.github.chatmemory.window;

import io.github.chatmemory.StoredMessage;

/**
 * A message in a context window, with its token count.
 *
 * @param message the stored message
 * @param tokens the tokens it counts for
 * @param pinned whether it is the pinned system message
 */
public record WindowMessage(StoredMessage message, int tokens, boolean pinned) {
}
