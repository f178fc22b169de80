-- Chat memory tables for MariaDB 10.3+ (InnoDB, utf8mb4, ids compared byte by byte, trailing spaces too: NO PAD):
-- the schema of io.github.chatmemory.store.jdbc.JdbcChatMemoryStore. Indexes are declared inside the
-- tables because MySQL has no CREATE INDEX IF NOT EXISTS.
-- Schema version 1 (kept in the ${table_prefix}store_info table, row 'schema_version').
-- ${table_prefix} is the table prefix (default chat_memory_): Flyway and Liquibase replace
-- placeholders of the same syntax, so this script can be copied into a migration as it is.
-- Every statement is re-runnable (IF NOT EXISTS): the store may run it at startup.

-- one row per session: the counters an append needs (last_seq, message_count, system_seq) and the
-- version every write moves, so that no write reads the history
CREATE TABLE IF NOT EXISTS ${table_prefix}session (
	id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL PRIMARY KEY,
	user_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL,
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
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- messages by session and sequence: the primary key serves every window; the body is the JSON of
-- io.github.chatmemory.store.StoredMessageCodec, the media apart so that most reads skip them
CREATE TABLE IF NOT EXISTS ${table_prefix}message (
	session_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	seq BIGINT NOT NULL,
	message_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	role VARCHAR(16) NOT NULL,
	fingerprint VARCHAR(64) NOT NULL,
	body LONGTEXT NOT NULL,
	media LONGTEXT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (session_id, seq),
	CONSTRAINT ${table_prefix}message_id_uk UNIQUE (session_id, message_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- summaries, newest with the highest position, at most 100 per session
CREATE TABLE IF NOT EXISTS ${table_prefix}summary (
	session_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	pos BIGINT NOT NULL,
	summary_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	body LONGTEXT NOT NULL,
	PRIMARY KEY (session_id, pos)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- the sessions branched off a session (forks, edits)
CREATE TABLE IF NOT EXISTS ${table_prefix}branch (
	session_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	branch_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (session_id, branch_id),
	INDEX ${table_prefix}branch_of (branch_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- leases that let one instance at a time run scheduled work (retention)
CREATE TABLE IF NOT EXISTS ${table_prefix}lease (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	holder VARCHAR(64) NOT NULL,
	expires_at BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- the schema version and the last retention run
CREATE TABLE IF NOT EXISTS ${table_prefix}store_info (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	info_value VARCHAR(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- the schema version, recorded by the script itself so that tables a migration tool creates from it
-- pass the store's check; never overwritten, so a later release's version stays
INSERT INTO ${table_prefix}store_info (name, info_value) VALUES ('schema_version', '1')
	ON DUPLICATE KEY UPDATE name = name;
