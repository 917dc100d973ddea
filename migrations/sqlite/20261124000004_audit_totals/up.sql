-- Exact totals for the unlock audit without counting rows on every page.
--
-- `GET /api/admin/audit` answers `total` with each page; COUNT(*) walked every matching
-- index entry (~1M at the bench's size). Triggers keep the counts in the same
-- transaction as the insert or delete, so they are exact. The 16 shards (by event id)
-- matter on PostgreSQL, where they spread row locks; SQLite has one writer anyway, but
-- both stores share one schema and one query code.

CREATE TABLE unlock_event_totals (
    shard  INTEGER PRIMARY KEY CHECK (shard >= 0 AND shard < 16),
    events INTEGER NOT NULL CHECK (events >= 0)
);

-- Events involving a user (as owner or acting user; once when both), by shard.
CREATE TABLE unlock_event_user_totals (
    user_id INTEGER NOT NULL,
    shard   INTEGER NOT NULL CHECK (shard >= 0 AND shard < 16),
    events  INTEGER NOT NULL CHECK (events >= 0),
    PRIMARY KEY (user_id, shard)
) WITHOUT ROWID;

WITH RECURSIVE shards(s) AS (SELECT 0 UNION ALL SELECT s + 1 FROM shards WHERE s < 15)
INSERT INTO unlock_event_totals (shard, events)
SELECT s, (SELECT COUNT(*) FROM unlock_events WHERE id % 16 = s) FROM shards;

INSERT INTO unlock_event_user_totals (user_id, shard, events)
SELECT user_id, id % 16, COUNT(*)
FROM (
    SELECT id, owner_id AS user_id FROM unlock_events WHERE owner_id IS NOT NULL
    UNION
    SELECT id, actor_user_id FROM unlock_events WHERE actor_user_id IS NOT NULL
)
GROUP BY user_id, id % 16;

CREATE TRIGGER unlock_events_count_insert AFTER INSERT ON unlock_events
BEGIN
    UPDATE unlock_event_totals SET events = events + 1 WHERE shard = NEW.id % 16;
    INSERT INTO unlock_event_user_totals (user_id, shard, events)
    SELECT NEW.owner_id, NEW.id % 16, 1 WHERE NEW.owner_id IS NOT NULL
    ON CONFLICT (user_id, shard) DO UPDATE SET events = events + 1;
    -- An owner opening their own door is one event for them, not two.
    INSERT INTO unlock_event_user_totals (user_id, shard, events)
    SELECT NEW.actor_user_id, NEW.id % 16, 1
    WHERE NEW.actor_user_id IS NOT NULL AND NEW.actor_user_id IS NOT NEW.owner_id
    ON CONFLICT (user_id, shard) DO UPDATE SET events = events + 1;
END;

CREATE TRIGGER unlock_events_count_delete AFTER DELETE ON unlock_events
BEGIN
    UPDATE unlock_event_totals SET events = events - 1 WHERE shard = OLD.id % 16;
    UPDATE unlock_event_user_totals SET events = events - 1
    WHERE shard = OLD.id % 16 AND user_id = OLD.owner_id;
    UPDATE unlock_event_user_totals SET events = events - 1
    WHERE shard = OLD.id % 16 AND user_id = OLD.actor_user_id
      AND OLD.actor_user_id IS NOT OLD.owner_id;
END;
