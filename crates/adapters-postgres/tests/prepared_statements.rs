//! The hot writes keep their prepared statements (`latchkey_sql::cached`): diesel on its
//! own prepares every `UPDATE` and every `INSERT` with an optional column anew, which
//! on PostgreSQL costs a round trip, a parse and a plan per call.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use latchkey_domain::{GuestLinkId, UnlockOutcome};
use latchkey_ports::conformance::fixtures::user_unlock;
use latchkey_ports::{GuestAttempt, GuestLinkStore, NewUnlockEvent, PendingUnlock, UnlockAuditStore};
use latchkey_postgres::testing::fresh_schema;
use latchkey_postgres::{PgOptions, PgStore};

#[derive(QueryableByName)]
struct Prepared {
    #[diesel(sql_type = Text)]
    statement: String,
    #[diesel(sql_type = BigInt)]
    calls: i64,
}

fn event(owner: Option<i64>) -> NewUnlockEvent {
    NewUnlockEvent {
        ip: Some("192.0.2.1".into()),
        ..user_unlock(6, owner)
    }
}

#[tokio::test]
async fn hot_writes_are_prepared_once_per_connection() {
    let Some((url, _guard)) = fresh_schema().await else {
        return;
    };
    // One connection, so every call below runs on the one asked at the end.
    let options = PgOptions {
        max_connections: 1,
        ..PgOptions::default()
    };
    let store = PgStore::connect_and_migrate(&url, options).await.unwrap();
    for _ in 0..3 {
        store.record_unlock(event(Some(6))).await.unwrap();
        store.release_guest_use(GuestLinkId(404)).await.unwrap();
    }
    // The guest unlock's writes: the use with its audit row, then the settle (no link
    // has this hash and no row this id; each statement runs all the same).
    let attempt = GuestAttempt {
        at: time::OffsetDateTime::UNIX_EPOCH,
        ip: None,
        user_agent: None,
    };
    for _ in 0..3 {
        store.reserve_guest_use(&"0".repeat(64), &attempt).await.unwrap();
        store
            .settle_unlock(PendingUnlock(404), UnlockOutcome::Opened, None)
            .await
            .unwrap();
    }
    // Another shape of the same insert (a NULL rendered as DEFAULT) is its own entry.
    store.record_unlock(event(None)).await.unwrap();

    let mut conn = store.conn().await.unwrap();
    let prepared: Vec<Prepared> = diesel::sql_query(
        "SELECT statement, generic_plans + custom_plans AS calls FROM pg_prepared_statements \
         WHERE statement LIKE 'INSERT INTO \"unlock_events\"%' OR statement LIKE 'UPDATE %' \
         OR statement LIKE 'WITH reserved AS%' \
         ORDER BY statement",
    )
    .load(&mut *conn)
    .await
    .unwrap();
    let mut summary: Vec<(&str, i64)> = prepared.iter().map(|p| (&p.statement[..6], p.calls)).collect();
    summary.sort_unstable();
    // Uncached, each call would have prepared and closed its own statement: none left.
    assert_eq!(
        summary,
        [
            ("INSERT", 1),
            ("INSERT", 3),
            ("UPDATE", 3),
            ("UPDATE", 3),
            ("WITH r", 3)
        ],
        "{summary:?}"
    );
}
