-- Guest links (a time window and a use limit on one intercom) and link templates.
--
-- Kept in step by hand with migrations/sqlite/20261122000003_guest; the storage
-- conformance suite runs on both and catches drift.

CREATE TABLE guest_links (
    -- Never reused: the unlock audit names links by id.
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Ring accounts are soft-deleted, so a link of a deleted account stays (and reads
    -- as disabled); the cascade only runs when the owner is deleted.
    ring_account_id BIGINT NOT NULL REFERENCES ring_accounts (id) ON DELETE CASCADE,
    intercom_id     BIGINT NOT NULL,
    label           TEXT CHECK (label <> ''),
    -- Hex SHA-256 of the token: the only form a link is looked up by.
    token_hash      TEXT NOT NULL CHECK (length(token_hash) = 64),
    -- The token sealed by the secret box, so its owner can copy the URL again.
    sealed_token    BYTEA NOT NULL,
    starts_at       TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    -- NULL: unlimited.
    max_uses        INTEGER CHECK (max_uses BETWEEN 1 AND 1000),
    uses            INTEGER NOT NULL DEFAULT 0,
    disabled_at     TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    CONSTRAINT guest_links_window CHECK (expires_at > starts_at),
    -- The reservation's own condition, enforced once more by the database.
    CONSTRAINT guest_links_uses CHECK (uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)),
    CONSTRAINT guest_links_token_hash_unique UNIQUE (token_hash)
);
-- list_guest_links (newest first) and the cascade from users.
CREATE INDEX guest_links_owner_idx ON guest_links (owner_id, id DESC);
-- The cascade from ring_accounts.
CREATE INDEX guest_links_ring_account_idx ON guest_links (ring_account_id);

CREATE TABLE guest_link_templates (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           TEXT NOT NULL CHECK (name <> ''),
    duration_hours INTEGER NOT NULL CHECK (duration_hours BETWEEN 1 AND 2160),
    max_uses       INTEGER CHECK (max_uses BETWEEN 1 AND 1000),
    created_at     TIMESTAMP NOT NULL
);
-- list_guest_templates and the cascade from users.
CREATE INDEX guest_link_templates_owner_idx ON guest_link_templates (owner_id, id);

-- A guest attempt with an unknown token (404) or refused by the rate limit (429) has
-- no link to name; it is still audited, with guest_link_id NULL.
ALTER TABLE unlock_events DROP CONSTRAINT unlock_events_actor_ids;
ALTER TABLE unlock_events ADD CONSTRAINT unlock_events_actor_ids CHECK (
    (actor_kind = 'user' AND actor_user_id IS NOT NULL AND guest_link_id IS NULL)
    OR (actor_kind = 'guest' AND actor_user_id IS NULL)
);
