/**
 * Retention: deleting sessions without activity for a configured age.
 */
@NullMarked
package io.github.chatmemory.retention;

import org.jspecify.annotations.NullMarked;
