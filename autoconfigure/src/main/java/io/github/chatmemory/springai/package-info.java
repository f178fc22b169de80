/**
 * Adapters from the chat memory store to Spring AI's ChatMemory and ChatMemoryRepository.
 */
@NullMarked
package io.github.chatmemory.springai;

import org.jspecify.annotations.NullMarked;
