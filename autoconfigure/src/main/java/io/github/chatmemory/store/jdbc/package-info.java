/**
 * A chat memory store on a relational database through Spring's {@code JdbcClient}:
 * PostgreSQL, MariaDB, MySQL, H2 and SQLite.
 */
@NullMarked
package io.github.chatmemory.store.jdbc;

import org.jspecify.annotations.NullMarked;
