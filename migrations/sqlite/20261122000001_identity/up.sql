-- Identity: users, their sessions, the login audit trail and runtime settings.
--
-- Kept in step by hand with migrations/postgres/20261122000001_identity; the storage
-- conformance suite runs on both and catches drift. STRICT tables so SQLite enforces
-- the column types too. Portable mapping used by the shared diesel schema:
-- BIGINT -> INTEGER, BOOLEAN -> INTEGER 0/1, TIMESTAMP -> TEXT written by diesel as
-- 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC (that format sorts and compares as text).

CREATE TABLE users (
    -- AUTOINCREMENT: never reuse the id of a deleted user (PostgreSQL identity does not either).
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username             TEXT NOT NULL CHECK (username <> ''),
    -- Username::key (trimmed, Unicode-lowercased in Rust): uniqueness ignoring case.
    username_key         TEXT NOT NULL CHECK (username_key <> ''),
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'user')),
    first_name           TEXT,
    last_name            TEXT,
    structure            TEXT,
    password_hash        TEXT NOT NULL CHECK (password_hash <> ''),
    disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    failed_logins        INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until         TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    CONSTRAINT users_username_key_unique UNIQUE (username_key)
) STRICT;

CREATE TABLE sessions (
    -- SHA-256 (hex) of the id the client holds; the id itself is never stored.
    id_hash      TEXT NOT NULL PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT,
    user_agent   TEXT
) STRICT;
-- delete_user_sessions / revocation, and the ON DELETE CASCADE above.
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
-- delete_stale_sessions: one index per arm of its OR.
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
CREATE INDEX sessions_last_seen_at_idx ON sessions (last_seen_at);

CREATE TABLE login_audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT NOT NULL,
    -- As typed, so attempts on unknown names are visible too.
    username    TEXT NOT NULL,
    -- The row outlives the user: deleting them only drops the link.
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('success', 'missing_credentials',
                    'invalid_credentials', 'disabled', 'locked', 'rate_limited')),
    ip          TEXT,
    user_agent  TEXT
) STRICT;
-- list_logins: newest first (id breaks ties between equal timestamps).
CREATE INDEX login_audit_newest_idx ON login_audit (occurred_at DESC, id DESC);
-- ON DELETE SET NULL above would otherwise scan the whole trail per deleted user.
CREATE INDEX login_audit_user_id_idx ON login_audit (user_id);

CREATE TABLE settings (
    key        TEXT NOT NULL PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
