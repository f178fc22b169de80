/**
 * Redis-backed chat memory store built on Spring Data Redis and Lua scripts.
 */
@NullMarked
package io.github.chatmemory.store.redis;

import org.jspecify.annotations.NullMarked;
