-- Back to the row triggers of 20261124000004_audit_totals.
DROP TRIGGER unlock_events_count_deleted ON unlock_events;
DROP TRIGGER unlock_events_count_inserted ON unlock_events;
DROP FUNCTION unlock_events_count_deleted();
DROP FUNCTION unlock_events_count_inserted();

CREATE FUNCTION unlock_event_user_count(person BIGINT, shard_of BIGINT, delta BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF delta > 0 THEN
        INSERT INTO unlock_event_user_totals AS t (user_id, shard, events)
        VALUES (person, shard_of, delta)
        ON CONFLICT (user_id, shard) DO UPDATE SET events = t.events + delta;
    ELSE
        -- Not an upsert: the CHECK would refuse the negative row proposed for insertion.
        UPDATE unlock_event_user_totals SET events = events + delta
        WHERE user_id = person AND shard = shard_of;
    END IF;
END
$$;

CREATE FUNCTION unlock_events_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ev    unlock_events%ROWTYPE;
    delta BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        ev := NEW;
        delta := 1;
    ELSE
        ev := OLD;
        delta := -1;
    END IF;
    UPDATE unlock_event_totals SET events = events + delta WHERE shard = ev.id % 16;
    IF ev.owner_id IS NOT NULL THEN
        PERFORM unlock_event_user_count(ev.owner_id, ev.id % 16, delta);
    END IF;
    -- An owner opening their own door is one event for them, not two.
    IF ev.actor_user_id IS NOT NULL AND ev.actor_user_id IS DISTINCT FROM ev.owner_id THEN
        PERFORM unlock_event_user_count(ev.actor_user_id, ev.id % 16, delta);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER unlock_events_count
AFTER INSERT OR DELETE ON unlock_events
FOR EACH ROW EXECUTE FUNCTION unlock_events_count();
