-- The audit counters, kept by one trigger run per statement instead of one per row.
--
-- A row trigger adds 1 to a shard row for every inserted or deleted event. Inside one
-- statement that touches many events (a bulk import, a retention prune) every update
-- of the same shard row leaves a new row version that the next update must walk past:
-- inserting 1M events in one statement did not finish in 8 minutes. A statement
-- trigger reads the statement's transition table and adds each shard's delta once, so
-- a single-event insert costs the same as before and a bulk one costs a GROUP BY.
--
-- Rows are locked in key order (shard, then user and shard), so two statements that
-- touch several counter rows cannot deadlock on each other.

DROP TRIGGER unlock_events_count ON unlock_events;
DROP FUNCTION unlock_events_count();
DROP FUNCTION unlock_event_user_count(BIGINT, BIGINT, BIGINT);

CREATE FUNCTION unlock_events_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM unlock_event_totals
    WHERE shard IN (SELECT DISTINCT id % 16 FROM inserted)
    ORDER BY shard FOR UPDATE;
    UPDATE unlock_event_totals AS t SET events = t.events + d.n
    FROM (SELECT id % 16 AS shard, COUNT(*) AS n FROM inserted GROUP BY 1) AS d
    WHERE t.shard = d.shard;

    -- An owner opening their own door is one event for them, not two.
    INSERT INTO unlock_event_user_totals AS t (user_id, shard, events)
    SELECT user_id, shard, COUNT(*)
    FROM (
        SELECT owner_id AS user_id, id % 16 AS shard FROM inserted WHERE owner_id IS NOT NULL
        UNION ALL
        SELECT actor_user_id, id % 16 FROM inserted
        WHERE actor_user_id IS NOT NULL AND actor_user_id IS DISTINCT FROM owner_id
    ) AS involved
    GROUP BY user_id, shard
    ORDER BY user_id, shard
    ON CONFLICT (user_id, shard) DO UPDATE SET events = t.events + EXCLUDED.events;
    RETURN NULL;
END
$$;

CREATE FUNCTION unlock_events_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM unlock_event_totals
    WHERE shard IN (SELECT DISTINCT id % 16 FROM deleted)
    ORDER BY shard FOR UPDATE;
    UPDATE unlock_event_totals AS t SET events = t.events - d.n
    FROM (SELECT id % 16 AS shard, COUNT(*) AS n FROM deleted GROUP BY 1) AS d
    WHERE t.shard = d.shard;

    -- Not an upsert: every deleted event was counted when it was inserted.
    PERFORM 1 FROM unlock_event_user_totals AS t
    WHERE (t.user_id, t.shard) IN (
        SELECT owner_id, id % 16 FROM deleted WHERE owner_id IS NOT NULL
        UNION
        SELECT actor_user_id, id % 16 FROM deleted WHERE actor_user_id IS NOT NULL
    )
    ORDER BY t.user_id, t.shard FOR UPDATE;
    UPDATE unlock_event_user_totals AS t SET events = t.events - d.n
    FROM (
        SELECT user_id, shard, COUNT(*) AS n
        FROM (
            SELECT owner_id AS user_id, id % 16 AS shard FROM deleted WHERE owner_id IS NOT NULL
            UNION ALL
            SELECT actor_user_id, id % 16 FROM deleted
            WHERE actor_user_id IS NOT NULL AND actor_user_id IS DISTINCT FROM owner_id
        ) AS involved
        GROUP BY user_id, shard
    ) AS d
    WHERE t.user_id = d.user_id AND t.shard = d.shard;
    RETURN NULL;
END
$$;

-- A trigger with transition tables takes one event each. (The "involved users" query
-- stands in both functions: a transition table cannot be passed to a shared function.)
CREATE TRIGGER unlock_events_count_inserted
AFTER INSERT ON unlock_events
REFERENCING NEW TABLE AS inserted
FOR EACH STATEMENT EXECUTE FUNCTION unlock_events_count_inserted();

CREATE TRIGGER unlock_events_count_deleted
AFTER DELETE ON unlock_events
REFERENCING OLD TABLE AS deleted
FOR EACH STATEMENT EXECUTE FUNCTION unlock_events_count_deleted();
