//! The unlock audit's counters on SQLite: backfilled by their migration from existing
//! events, then kept exact by triggers through inserts and deletes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use diesel_async::SimpleAsyncConnection;
use diesel_async::pooled_connection::deadpool::Object;
use latchkey_ports::conformance::audit_totals::{
    EVENTS_BEFORE_THE_COUNTERS, totals_follow_backfill_inserts_and_deletes,
};
use latchkey_sqlite::{SqliteOptions, SqliteStore};

#[tokio::test]
async fn audit_totals_are_backfilled_and_follow_inserts_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("t.db").display().to_string();
    let store = SqliteStore::connect_and_migrate(&url, SqliteOptions::default())
        .await
        .unwrap();
    let conn = Object::take(store.conn().await.unwrap());
    let (mut conn, reverted) = latchkey_sql::migrate::revert_last(conn, latchkey_sqlite::MIGRATIONS)
        .await
        .unwrap();
    assert_eq!(reverted, ["20261124000004"]);
    conn.batch_execute(EVENTS_BEFORE_THE_COUNTERS).await.unwrap();
    drop(conn);
    assert_eq!(store.migrate().await.unwrap(), ["20261124000004"]);

    totals_follow_backfill_inserts_and_deletes(&store, |sql| {
        let store = &store;
        async move {
            store.conn().await.unwrap().batch_execute(sql).await.unwrap();
        }
    })
    .await;
}
