/**
 * Keyword search over stored messages, on any store, with no search module needed.
 */
@NullMarked
package io.github.chatmemory.search;

import org.jspecify.annotations.NullMarked;
