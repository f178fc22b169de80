/**
 * The store SPI that every chat memory backend implements.
 */
@NullMarked
package io.github.chatmemory.store;

import org.jspecify.annotations.NullMarked;
