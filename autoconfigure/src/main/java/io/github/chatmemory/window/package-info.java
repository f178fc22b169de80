/**
 * The context window: which stored messages go to the model, within a message and token
 * budget, with the rules that keep a prompt valid.
 */
@NullMarked
package io.github.chatmemory.window;

import org.jspecify.annotations.NullMarked;
