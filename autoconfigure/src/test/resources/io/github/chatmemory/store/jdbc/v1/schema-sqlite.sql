-- Chat memory tables for SQLite 3.24+: the schema of io.github.chatmemory.store.jdbc.JdbcChatMemoryStore.
-- Schema version 1 (kept in the ${table_prefix}store_info table, row 'schema_version').
-- ${table_prefix} is the table prefix (default chat_memory_): Flyway and Liquibase replace
-- placeholders of the same syntax, so this script can be copied into a migration as it is.
-- Every statement is re-runnable (IF NOT EXISTS): the store may run it at startup.

-- one row per session: the counters an append needs (last_seq, message_count, system_seq) and the
-- version every write moves, so that no write reads the history
CREATE TABLE IF NOT EXISTS ${table_prefix}session (
	id VARCHAR(255) NOT NULL PRIMARY KEY,
	user_id VARCHAR(255) NULL,
	title VARCHAR(1000) NOT NULL,
	metadata TEXT NOT NULL,
	active SMALLINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version BIGINT NOT NULL,
	rewritten_version BIGINT NOT NULL,
	last_seq BIGINT NOT NULL,
	message_count BIGINT NOT NULL,
	system_seq BIGINT NULL
);
CREATE INDEX IF NOT EXISTS ${table_prefix}session_user_activity ON ${table_prefix}session (user_id, updated_at, id);
CREATE INDEX IF NOT EXISTS ${table_prefix}session_activity ON ${table_prefix}session (updated_at, id);

-- messages by session and sequence: the primary key serves every window; the body is the JSON of
-- io.github.chatmemory.store.StoredMessageCodec, the media apart so that most reads skip them
CREATE TABLE IF NOT EXISTS ${table_prefix}message (
	session_id VARCHAR(255) NOT NULL,
	seq BIGINT NOT NULL,
	message_id VARCHAR(255) NOT NULL,
	role VARCHAR(16) NOT NULL,
	fingerprint VARCHAR(64) NOT NULL,
	body TEXT NOT NULL,
	media TEXT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (session_id, seq),
	CONSTRAINT ${table_prefix}message_id_uk UNIQUE (session_id, message_id)
);

-- summaries, newest with the highest position, at most 100 per session
CREATE TABLE IF NOT EXISTS ${table_prefix}summary (
	session_id VARCHAR(255) NOT NULL,
	pos BIGINT NOT NULL,
	summary_id VARCHAR(255) NOT NULL,
	body TEXT NOT NULL,
	PRIMARY KEY (session_id, pos)
);

-- the sessions branched off a session (forks, edits)
CREATE TABLE IF NOT EXISTS ${table_prefix}branch (
	session_id VARCHAR(255) NOT NULL,
	branch_id VARCHAR(255) NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (session_id, branch_id)
);
CREATE INDEX IF NOT EXISTS ${table_prefix}branch_of ON ${table_prefix}branch (branch_id);

-- leases that let one instance at a time run scheduled work (retention)
CREATE TABLE IF NOT EXISTS ${table_prefix}lease (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	holder VARCHAR(64) NOT NULL,
	expires_at BIGINT NOT NULL
);

-- the schema version and the last retention run
CREATE TABLE IF NOT EXISTS ${table_prefix}store_info (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	info_value VARCHAR(255) NOT NULL
);

-- the schema version, recorded by the script itself so that tables a migration tool creates from it
-- pass the store's check; never overwritten, so a later release's version stays
INSERT INTO ${table_prefix}store_info (name, info_value) VALUES ('schema_version', '1')
	ON CONFLICT (name) DO NOTHING;
