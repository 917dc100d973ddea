DELETE FROM unlock_events WHERE actor_kind = 'guest' AND guest_link_id IS NULL;
ALTER TABLE unlock_events DROP CONSTRAINT unlock_events_actor_ids;
ALTER TABLE unlock_events ADD CONSTRAINT unlock_events_actor_ids CHECK (
    (actor_kind = 'user' AND actor_user_id IS NOT NULL AND guest_link_id IS NULL)
    OR (actor_kind = 'guest' AND guest_link_id IS NOT NULL AND actor_user_id IS NULL)
);
DROP TABLE guest_link_templates;
DROP TABLE guest_links;
