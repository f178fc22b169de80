-- Chat memory tables for MySQL 8.0.17+ (InnoDB, utf8mb4, ids compared byte by byte, trailing spaces too: NO PAD):
-- the schema of io.github.chatmemory.store.jdbc.JdbcChatMemoryStore. Indexes are declared inside the
-- tables because MySQL has no CREATE INDEX IF NOT EXISTS.
-- Schema version 2 (kept in the ${table_prefix}store_info table, row 'schema_version').
-- ${table_prefix} is the table prefix (default chat_memory_): Flyway and Liquibase replace
-- placeholders of the same syntax, so this script can be copied into a migration as it is.
-- Every statement is re-runnable (IF NOT EXISTS): the store may run it at startup.

-- one row per session: the counters an append needs (last_seq, message_count, system_seq) and the
-- version every write moves, so that no write reads the history
CREATE TABLE IF NOT EXISTS ${table_prefix}session (
	id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL PRIMARY KEY,
	user_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NULL,
	title VARCHAR(1000) NOT NULL,
	metadata LONGTEXT NOT NULL,
	active SMALLINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version BIGINT NOT NULL,
	rewritten_version BIGINT NOT NULL,
	last_seq BIGINT NOT NULL,
	message_count BIGINT NOT NULL,
	system_seq BIGINT NULL,
	INDEX ${table_prefix}session_user_activity (user_id, updated_at, id),
	INDEX ${table_prefix}session_activity (updated_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

-- messages by session and sequence: the primary key serves every window; the body is the JSON of
-- io.github.chatmemory.store.StoredMessageCodec, the media apart so that most reads skip them
CREATE TABLE IF NOT EXISTS ${table_prefix}message (
	session_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
	seq BIGINT NOT NULL,
	message_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
	role VARCHAR(16) NOT NULL,
	fingerprint VARCHAR(64) NOT NULL,
	body LONGTEXT NOT NULL,
	media LONGTEXT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (session_id, seq),
	CONSTRAINT ${table_prefix}message_id_uk UNIQUE (session_id, message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

-- summaries, newest with the highest position, at most 100 per session
CREATE TABLE IF NOT EXISTS ${table_prefix}summary (
	session_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
	pos BIGINT NOT NULL,
	summary_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
	body LONGTEXT NOT NULL,
	PRIMARY KEY (session_id, pos)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

-- the sessions branched off a session (forks, edits)
CREATE TABLE IF NOT EXISTS ${table_prefix}branch (
	session_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
	branch_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (session_id, branch_id),
	INDEX ${table_prefix}branch_of (branch_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

-- leases that let one instance at a time run scheduled work (retention)
CREATE TABLE IF NOT EXISTS ${table_prefix}lease (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	holder VARCHAR(64) NOT NULL,
	expires_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

-- the schema version and the last retention run
CREATE TABLE IF NOT EXISTS ${table_prefix}store_info (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	info_value VARCHAR(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

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

-- the schema version, recorded by the script itself so that tables a migration tool creates from it
-- pass the store's check; never overwritten, so a later release's version stays
INSERT INTO ${table_prefix}store_info (name, info_value) VALUES ('schema_version', '2')
	ON DUPLICATE KEY UPDATE name = name;
