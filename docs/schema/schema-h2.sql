-- notify-stomp message store, schema version 1, H2 (2.x).
--
-- The starter runs this script at startup when the tables are missing, as
-- notify.stomp.store.jdbc.initialization-mode says: embedded (the default) on an embedded
-- database only, always on any database, never. Every statement is idempotent, so several
-- nodes may start at once. To manage the schema yourself (Flyway, Liquibase), copy this
-- script into a migration and set notify.stomp.store.jdbc.initialization-mode=never. The names use the default table prefix
-- "notify_"; with another notify.stomp.store.jdbc.table-prefix, replace "notify_" in every
-- name. Times are stored in UTC.

-- One row per stored user message; seq is the per-user sequence number (notify-seq).
CREATE TABLE IF NOT EXISTS notify_message (
	user_id VARCHAR(255) NOT NULL,
	seq BIGINT NOT NULL,
	id VARCHAR(64) NOT NULL,
	type VARCHAR(64) NOT NULL,
	payload CHARACTER LARGE OBJECT,
	created_at TIMESTAMP(6) NOT NULL,
	delivered_at TIMESTAMP(6),
	read_at TIMESTAMP(6),
	CONSTRAINT notify_message_pk PRIMARY KEY (user_id, seq),
	CONSTRAINT notify_message_id_uk UNIQUE (user_id, id)
);

-- Retention deletes by age.
CREATE INDEX IF NOT EXISTS notify_message_created_idx ON notify_message (created_at);

-- The last sequence number handed out per user. A save locks the user's row until its
-- transaction ends, so sequence numbers become visible in commit order. Rows are never
-- deleted, so a user's numbers never start again. The row with the empty user id (which
-- no user can have) holds the store's epoch, which clients get as notify-epoch: the
-- starter adds it with a random value when it is missing, so recreating this table gives a
-- new epoch. After restoring a backup, delete that row: clients then start again from the
-- restored messages instead of waiting for sequence numbers they saw before the restore.
CREATE TABLE IF NOT EXISTS notify_user_seq (
	user_id VARCHAR(255) NOT NULL,
	last_seq BIGINT NOT NULL,
	CONSTRAINT notify_user_seq_pk PRIMARY KEY (user_id)
);

-- The schema version this script creates.
CREATE TABLE IF NOT EXISTS notify_schema_version (
	version INT NOT NULL,
	CONSTRAINT notify_schema_version_pk PRIMARY KEY (version)
);

MERGE INTO notify_schema_version KEY (version) VALUES (1);
