/**
 * Spring Boot auto-configuration for chat memory.
 */
@NullMarked
package io.github.chatmemory.autoconfigure;

import org.jspecify.annotations.NullMarked;
