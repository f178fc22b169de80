-- Upgrade of the chat memory tables for MySQL 8.0.17+ from schema version 1 to 2 (the recall queue), for tables that
-- schema-mysql.sql of an earlier release created. The store runs it by itself when it may initialize the schema
-- (chat-memory.jdbc.initialize-schema=always, or embedded with a database inside the application); otherwise
-- copy it into a migration (Flyway, Liquibase) after the one that created the tables.
-- ${table_prefix} is the table prefix (default chat_memory_), replaced as in the schema script.
-- Re-runnable: every statement is IF NOT EXISTS, and the version moves from 1 to 2 only.

-- the recall queue: at most one task per session, written in the same transaction as the write that needs it
-- (from_seq: the first sequence to index; rebuild 1: remove the session's vectors and index it again), read
-- oldest first along (queued_at, session_id)
CREATE TABLE IF NOT EXISTS ${table_prefix}recall_task (
	session_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL PRIMARY KEY,
	stamp BIGINT NOT NULL,
	from_seq BIGINT NOT NULL,
	rebuild SMALLINT NOT NULL,
	queued_at BIGINT NOT NULL,
	INDEX ${table_prefix}recall_task_queued (queued_at, session_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;
-- the stamps of the recall tasks, which never repeat (not even for a session whose task was removed): MySQL has no
-- sequences, so the ids of an AUTO_INCREMENT table, each row removed once its id is taken (MySQL 8 keeps the counter
-- across restarts)
CREATE TABLE IF NOT EXISTS ${table_prefix}recall_stamp (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY
) ENGINE=InnoDB;

-- the version, moved on only from 1: a later release's version stays
UPDATE ${table_prefix}store_info SET info_value = '2' WHERE name = 'schema_version' AND info_value = '1';
