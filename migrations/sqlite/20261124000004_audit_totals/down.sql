DROP TRIGGER unlock_events_count_delete;
DROP TRIGGER unlock_events_count_insert;
DROP TABLE unlock_event_user_totals;
DROP TABLE unlock_event_totals;
