/**
 * Spring AI tools over chat memory, with which the model reads what the user said in
 * other conversations.
 */
@NullMarked
package io.github.chatmemory.springai.tool;

import org.jspecify.annotations.NullMarked;
