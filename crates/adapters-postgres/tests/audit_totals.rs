//! The unlock audit's counters on PostgreSQL: backfilled by their migration from
//! existing events, then kept exact by triggers through inserts and deletes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use diesel_async::SimpleAsyncConnection;
use diesel_async::pooled_connection::deadpool::Object;
use latchkey_ports::conformance::audit_totals::{
    EVENTS_BEFORE_THE_COUNTERS, totals_follow_backfill_inserts_and_deletes,
};
use latchkey_postgres::testing;

#[tokio::test]
async fn audit_totals_are_backfilled_and_follow_inserts_and_deletes() {
    let Some((store, _guard)) = testing::fresh_store().await else {
        return;
    };
    let conn = Object::take(store.conn().await.unwrap());
    // Back to before the counters: their statement triggers, then the counters.
    let (conn, reverted) = latchkey_sql::migrate::revert_last(conn, latchkey_postgres::MIGRATIONS)
        .await
        .unwrap();
    assert_eq!(reverted, ["20261206000005"]);
    let (mut conn, reverted) = latchkey_sql::migrate::revert_last(conn, latchkey_postgres::MIGRATIONS)
        .await
        .unwrap();
    assert_eq!(reverted, ["20261124000004"]);
    // Identity columns refuse explicit ids unless told, and do not move past them.
    let with_ids = format!(
        "{} SELECT setval(pg_get_serial_sequence('unlock_events', 'id'), 4);",
        EVENTS_BEFORE_THE_COUNTERS.replacen(") VALUES", ") OVERRIDING SYSTEM VALUE VALUES", 1)
    );
    conn.batch_execute(&with_ids).await.unwrap();
    drop(conn);
    assert_eq!(
        store.migrate().await.unwrap(),
        ["20261124000004", "20261206000005"]
    );

    totals_follow_backfill_inserts_and_deletes(&store, |sql| {
        let store = &store;
        async move {
            store.conn().await.unwrap().batch_execute(sql).await.unwrap();
        }
    })
    .await;
}
