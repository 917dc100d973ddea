DROP TRIGGER unlock_events_count ON unlock_events;
DROP FUNCTION unlock_events_count();
DROP FUNCTION unlock_event_user_count(BIGINT, BIGINT, BIGINT);
DROP TABLE unlock_event_user_totals;
DROP TABLE unlock_event_totals;
