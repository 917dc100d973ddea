DELETE FROM unlock_events WHERE actor_kind = 'guest' AND guest_link_id IS NULL;
CREATE TABLE unlock_events_strict (
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
        OR (actor_kind = 'guest' AND guest_link_id IS NOT NULL AND actor_user_id IS NULL)
    )
) STRICT;
INSERT INTO unlock_events_strict SELECT * FROM unlock_events;
-- Carry the AUTOINCREMENT high-water mark over, so no audit id is ever reused.
DELETE FROM sqlite_sequence WHERE name = 'unlock_events_strict';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'unlock_events_strict', seq FROM sqlite_sequence WHERE name = 'unlock_events';
DROP TABLE unlock_events;
ALTER TABLE unlock_events_strict RENAME TO unlock_events;
CREATE INDEX unlock_events_newest_idx ON unlock_events (occurred_at DESC, id DESC);
CREATE INDEX unlock_events_owner_idx ON unlock_events (owner_id, occurred_at DESC, id DESC);
CREATE INDEX unlock_events_actor_idx ON unlock_events (actor_user_id, occurred_at DESC, id DESC);
DROP TABLE guest_link_templates;
DROP TABLE guest_links;
