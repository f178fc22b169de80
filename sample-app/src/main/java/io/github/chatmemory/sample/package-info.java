/**
 * A sample assistant that uses Chat Memory for Spring AI.
 */
@NullMarked
package io.github.chatmemory.sample;

import org.jspecify.annotations.NullMarked;
