/**
 * Summaries: a {@link io.github.chatmemory.summary.ChatMemorySummarizer} folds the messages
 * a context window leaves out into a summary that extends the previous one, made off the
 * request path and stored beside the history, which it never changes.
 */
@NullMarked
package io.github.chatmemory.summary;

import org.jspecify.annotations.NullMarked;
