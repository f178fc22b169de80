/**
 * Conversation memory for Spring AI: sessions, messages and the manager that applications call.
 */
@NullMarked
package io.github.chatmemory;

import org.jspecify.annotations.NullMarked;
