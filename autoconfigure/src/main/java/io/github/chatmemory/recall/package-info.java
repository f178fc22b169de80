/**
 * Semantic recall across a user's conversations, starting with an offline embedding model.
 */
@NullMarked
package io.github.chatmemory.recall;

import org.jspecify.annotations.NullMarked;
