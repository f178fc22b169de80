/**
 * Small pieces that several parts of chat memory share.
 */
@NullMarked
package io.github.chatmemory.support;

import org.jspecify.annotations.NullMarked;
