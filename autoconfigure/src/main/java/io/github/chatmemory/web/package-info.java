/**
 * The chat memory REST API: controller, problem details and access policy, switched on by chat-memory.web.enabled.
 */
@NullMarked
package io.github.chatmemory.web;

import org.jspecify.annotations.NullMarked;
