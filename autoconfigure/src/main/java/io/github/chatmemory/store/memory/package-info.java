/**
 * Bounded, thread-safe in-memory chat memory store.
 */
@NullMarked
package io.github.chatmemory.store.memory;

import org.jspecify.annotations.NullMarked;
