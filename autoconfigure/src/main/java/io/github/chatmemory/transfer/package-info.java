/**
 * The versioned JSON export format of a session, and import from it: also the migration path between stores.
 */
@NullMarked
package io.github.chatmemory.transfer;

import org.jspecify.annotations.NullMarked;
