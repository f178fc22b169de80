/**
 * Operations support for chat memory: health indicator, observations and metrics, and the
 * {@code chatmemory} actuator endpoint.
 */
@NullMarked
package io.github.chatmemory.actuate;

import org.jspecify.annotations.NullMarked;
