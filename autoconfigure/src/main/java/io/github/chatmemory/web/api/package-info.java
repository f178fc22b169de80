/**
 * The JSON request and response types of the chat memory REST API, shared by the server and the Java client.
 */
@NullMarked
package io.github.chatmemory.web.api;

import org.jspecify.annotations.NullMarked;
