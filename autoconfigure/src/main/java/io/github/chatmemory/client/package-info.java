/**
 * A typed Java client for the chat memory REST API.
 */
@NullMarked
package io.github.chatmemory.client;

import org.jspecify.annotations.NullMarked;
