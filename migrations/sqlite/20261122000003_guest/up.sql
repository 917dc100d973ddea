-- Guest links (a time window and a use limit on one intercom) and link templates.
--
-- Kept in step by hand with migrations/postgres/20261122000003_guest; the storage
-- conformance suite runs on both and catches drift. STRICT tables and the portable
-- mapping of 20261122000001_identity (BIGINT -> INTEGER, TIMESTAMP -> TEXT in UTC,
-- BYTEA -> BLOB).

CREATE TABLE guest_links (
    -- AUTOINCREMENT: never reuse an id the unlock audit may still name.
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Ring accounts are soft-deleted, so a link of a deleted account stays (and reads
    -- as disabled); the cascade only runs when the owner is deleted.
    ring_account_id INTEGER NOT NULL REFERENCES ring_accounts (id) ON DELETE CASCADE,
    intercom_id     INTEGER NOT NULL,
    label           TEXT CHECK (label <> ''),
    -- Hex SHA-256 of the token: the only form a link is looked up by.
    token_hash      TEXT NOT NULL CHECK (length(token_hash) = 64),
    -- The token sealed by the secret box, so its owner can copy the URL again.
    sealed_token    BLOB NOT NULL,
    starts_at       TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    -- NULL: unlimited.
    max_uses        INTEGER CHECK (max_uses BETWEEN 1 AND 1000),
    uses            INTEGER NOT NULL DEFAULT 0,
    disabled_at     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT guest_links_window CHECK (expires_at > starts_at),
    -- The reservation's own condition, enforced once more by the database.
    CONSTRAINT guest_links_uses CHECK (uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)),
    CONSTRAINT guest_links_token_hash_unique UNIQUE (token_hash)
) STRICT;
-- list_guest_links (newest first) and the cascade from users.
CREATE INDEX guest_links_owner_idx ON guest_links (owner_id, id DESC);
-- The cascade from ring_accounts.
CREATE INDEX guest_links_ring_account_idx ON guest_links (ring_account_id);

CREATE TABLE guest_link_templates (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           TEXT NOT NULL CHECK (name <> ''),
    duration_hours INTEGER NOT NULL CHECK (duration_hours BETWEEN 1 AND 2160),
    max_uses       INTEGER CHECK (max_uses BETWEEN 1 AND 1000),
    created_at     TEXT NOT NULL
) STRICT;
-- list_guest_templates and the cascade from users.
CREATE INDEX guest_link_templates_owner_idx ON guest_link_templates (owner_id, id);

-- A guest attempt with an unknown token (404) or refused by the rate limit (429) has
-- no link to name; it is still audited, with guest_link_id NULL. SQLite cannot alter a
-- CHECK, so the table is rebuilt (nothing references it).
CREATE TABLE unlock_events_relaxed (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at     TEXT NOT NULL,
    actor_kind      TEXT NOT NULL CHECK (actor_kind IN ('user', 'guest')),
    actor_user_id   INTEGER,
    guest_link_id   INTEGER,
    owner_id        INTEGER,
    ring_account_id INTEGER,
    intercom_id     INTEGER,
    outcome         TEXT NOT NULL CHECK (outcome IN ('opened', 'failed', 'unknown')),
    error_code      TEXT,
    ip              TEXT,
    user_agent      TEXT,
    CONSTRAINT unlock_events_actor_ids CHECK (
        (actor_kind = 'user' AND actor_user_id IS NOT NULL AND guest_link_id IS NULL)
        OR (actor_kind = 'guest' AND actor_user_id IS NULL)
    )
) STRICT;
INSERT INTO unlock_events_relaxed SELECT * FROM unlock_events;
-- Carry the AUTOINCREMENT high-water mark over, so no audit id is ever reused.
DELETE FROM sqlite_sequence WHERE name = 'unlock_events_relaxed';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'unlock_events_relaxed', seq FROM sqlite_sequence WHERE name = 'unlock_events';
DROP TABLE unlock_events;
ALTER TABLE unlock_events_relaxed RENAME TO unlock_events;
CREATE INDEX unlock_events_newest_idx ON unlock_events (occurred_at DESC, id DESC);
CREATE INDEX unlock_events_owner_idx ON unlock_events (owner_id, occurred_at DESC, id DESC);
CREATE INDEX unlock_events_actor_idx ON unlock_events (actor_user_id, occurred_at DESC, id DESC);
