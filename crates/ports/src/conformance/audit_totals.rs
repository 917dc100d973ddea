//! The unlock audit's `total`, which each store keeps in counter rows maintained by
//! triggers (see the `audit_totals` migration). The ports cannot insert audit rows
//! with chosen ids or delete them, so each store's own tests drive these steps with
//! raw SQL around its migrations; the SQL and the checks are written once here.

use latchkey_domain::UserId;

use super::fixtures::user_unlock;
use crate::UnlockAuditStore;

/// Four events written before the counters existed: user 5 opens their own door,
/// a guest of user 5, user 6 opens user 5's door, and a guest with an unknown link.
pub const EVENTS_BEFORE_THE_COUNTERS: &str = "\
    INSERT INTO unlock_events (id, occurred_at, actor_kind, actor_user_id, guest_link_id, owner_id, outcome) VALUES \
    (1, '2026-03-01 08:00:00', 'user', 5, NULL, 5, 'opened'), \
    (2, '2026-03-01 08:01:00', 'guest', NULL, 7, 5, 'opened'), \
    (3, '2026-03-01 08:02:00', 'user', 6, NULL, 5, 'failed'), \
    (4, '2026-03-01 08:03:00', 'guest', NULL, NULL, NULL, 'failed');";

/// An operator pruning by hand: the counters must follow.
pub const PRUNE_EVENT_3: &str = "DELETE FROM unlock_events WHERE id = 3;";

/// Three events in one statement (as a bulk import writes them): user 5 opens user 6's
/// door, a guest of user 6, user 6 fails at their own door.
pub const BULK_IMPORT: &str = "\
    INSERT INTO unlock_events (occurred_at, actor_kind, actor_user_id, guest_link_id, owner_id, outcome) VALUES \
    ('2026-03-01 10:00:00', 'user', 5, NULL, 6, 'opened'), \
    ('2026-03-01 10:01:00', 'guest', NULL, 8, 6, 'opened'), \
    ('2026-03-01 10:02:00', 'user', 6, NULL, 6, 'failed');";

/// A retention prune deleting several events in one statement: every event at user
/// 6's door.
pub const BULK_PRUNE: &str = "DELETE FROM unlock_events WHERE owner_id = 6;";

/// Asserts `total` overall and for users 5 and 6, and that each equals the number
/// of events the listing really returns.
pub async fn assert_totals<S: UnlockAuditStore>(store: &S, all: u64, user5: u64, user6: u64) {
    for (user, expected) in [(None, all), (Some(UserId(5)), user5), (Some(UserId(6)), user6)] {
        let page = store.list_unlocks(user, 0, 100).await.unwrap();
        assert_eq!(page.total, expected, "total for {user:?}");
        assert_eq!(page.items.len() as u64, expected, "listed for {user:?}");
    }
}

/// The steps after the migration: counted from the backfill, then one new event of
/// user 6 at their own door, then the prune, then many events inserted and deleted by
/// one statement each.
pub async fn totals_follow_backfill_inserts_and_deletes<S, F, Fut>(store: &S, mut raw_sql: F)
where
    S: UnlockAuditStore,
    F: FnMut(&'static str) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    assert_totals(store, 4, 3, 1).await;
    store.record_unlock(user_unlock(6, Some(6))).await.unwrap();
    assert_totals(store, 5, 3, 2).await;
    raw_sql(PRUNE_EVENT_3).await;
    assert_totals(store, 4, 2, 1).await;
    raw_sql(BULK_IMPORT).await;
    assert_totals(store, 7, 3, 4).await;
    raw_sql(BULK_PRUNE).await;
    assert_totals(store, 3, 2, 0).await;
}
