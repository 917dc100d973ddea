-- Ring: linked accounts, pending two-factor logins, code-request counts, the unlock
-- audit trail and intercom health snapshots.
--
-- Kept in step by hand with migrations/sqlite/20261122000002_ring; the storage
-- conformance suite runs on both and catches drift. Same portable column subset as
-- 20261122000001_identity, plus BYTEA for sealed (encrypted) secrets.

CREATE TABLE ring_accounts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label        TEXT NOT NULL CHECK (label <> ''),
    is_default   BOOLEAN NOT NULL DEFAULT FALSE,
    -- Sent on every Ring call for this account; Ring ties its sessions to it.
    hardware_id  TEXT NOT NULL CHECK (hardware_id <> ''),
    status       TEXT NOT NULL CHECK (status IN ('unlinked', 'linked', 'needs_relink')),
    -- The refresh token sealed by the secret box; never stored in clear.
    sealed_token BYTEA,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    -- Soft delete: the row stays so audit rows and health history keep their account id.
    deleted_at   TIMESTAMP,
    -- A deleted account is never the default and keeps no token.
    CONSTRAINT ring_accounts_deleted_is_inert
        CHECK (deleted_at IS NULL OR (NOT is_default AND sealed_token IS NULL)),
    CONSTRAINT ring_accounts_hardware_id_unique UNIQUE (hardware_id)
);
-- At most one live default per user. The store also serialises default changes per
-- user, so this only fires if that discipline is broken.
CREATE UNIQUE INDEX ring_accounts_one_default_idx ON ring_accounts (user_id)
    WHERE is_default AND deleted_at IS NULL;
-- list_ring_accounts, and the ON DELETE CASCADE from users.
CREATE INDEX ring_accounts_user_id_idx ON ring_accounts (user_id, id);

CREATE TABLE ring_auth_attempts (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id            BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Set when re-linking an existing account; NULL when linking a new one.
    ring_account_id    BIGINT REFERENCES ring_accounts (id) ON DELETE CASCADE,
    account_label      TEXT,
    hardware_id        TEXT NOT NULL CHECK (hardware_id <> ''),
    -- Ring email and password, sealed with the user bound in.
    sealed_credentials BYTEA NOT NULL,
    prompt             TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    expires_at         TIMESTAMP NOT NULL
);
-- delete_expired_ring_auth_attempts. Attempts live minutes, so the table stays small
-- enough that the cascades from users and ring_accounts need no index of their own.
CREATE INDEX ring_auth_attempts_expires_at_idx ON ring_auth_attempts (expires_at);

CREATE TABLE ring_code_requests (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- A hash of the Ring email, never the address itself.
    email_hash   TEXT NOT NULL CHECK (email_hash <> ''),
    requested_at TIMESTAMP NOT NULL
);
-- count_code_requests (and, by its leading column, the cascade from users).
CREATE INDEX ring_code_requests_window_idx ON ring_code_requests (user_id, email_hash, requested_at);

-- No foreign keys on purpose: the audit keeps plain ids after users, accounts or guest
-- links are deleted (UnlockAuditStore::record_unlock never fails for that reason).
CREATE TABLE unlock_events (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at     TIMESTAMP NOT NULL,
    actor_kind      TEXT NOT NULL CHECK (actor_kind IN ('user', 'guest')),
    actor_user_id   BIGINT,
    guest_link_id   BIGINT,
    owner_id        BIGINT,
    ring_account_id BIGINT,
    intercom_id     BIGINT,
    outcome         TEXT NOT NULL CHECK (outcome IN ('opened', 'failed', 'unknown')),
    error_code      TEXT,
    ip              TEXT,
    user_agent      TEXT,
    -- Exactly the id that matches the kind of actor.
    CONSTRAINT unlock_events_actor_ids CHECK (
        (actor_kind = 'user' AND actor_user_id IS NOT NULL AND guest_link_id IS NULL)
        OR (actor_kind = 'guest' AND guest_link_id IS NOT NULL AND actor_user_id IS NULL)
    )
);
-- list_unlocks: newest first (id breaks ties), overall and for each arm of the
-- per-user filter (owner OR acting user).
CREATE INDEX unlock_events_newest_idx ON unlock_events (occurred_at DESC, id DESC);
CREATE INDEX unlock_events_owner_idx ON unlock_events (owner_id, occurred_at DESC, id DESC);
CREATE INDEX unlock_events_actor_idx ON unlock_events (actor_user_id, occurred_at DESC, id DESC);

CREATE TABLE device_health (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ring_account_id BIGINT NOT NULL REFERENCES ring_accounts (id) ON DELETE CASCADE,
    intercom_id     BIGINT NOT NULL,
    taken_at        TIMESTAMP NOT NULL,
    -- NULL: the poller could not tell (Ring left the field out).
    online          BOOLEAN,
    battery_percent INTEGER,
    signal_dbm      INTEGER,
    firmware        TEXT
);
-- health_history: newest first, id breaking ties (and, by its leading column, the
-- cascade from ring_accounts).
CREATE INDEX device_health_history_idx ON device_health (ring_account_id, intercom_id, taken_at DESC, id DESC);
-- prune_health.
CREATE INDEX device_health_taken_at_idx ON device_health (taken_at);
