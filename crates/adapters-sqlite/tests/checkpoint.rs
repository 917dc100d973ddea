//! WAL checkpoints happen in the background, not inside a request's commit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use diesel::QueryableByName;
use diesel::sql_types::Integer;
use diesel_async::RunQueryDsl;
use latchkey_ports::conformance::fixtures::user_unlock;
use latchkey_ports::{NewUnlockEvent, UnlockAuditStore};
use latchkey_sqlite::{AUTOCHECKPOINT_PAGES, SqliteOptions, SqliteStore};

async fn store() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("t.db").display().to_string();
    let store = SqliteStore::connect_and_migrate(&url, SqliteOptions::default())
        .await
        .unwrap();
    (store, dir)
}

/// Enough rows to fill a few hundred WAL pages.
async fn write_events(store: &SqliteStore, n: usize) {
    for _ in 0..n {
        let event = NewUnlockEvent {
            ip: Some("192.0.2.1".into()),
            user_agent: Some("x".repeat(200)),
            ..user_unlock(6, Some(6))
        };
        store.record_unlock(event).await.unwrap();
    }
}

fn file_len(store: &SqliteStore) -> u64 {
    std::fs::metadata(store.path()).unwrap().len()
}

#[derive(QueryableByName)]
struct Pages {
    #[diesel(sql_type = Integer)]
    wal_autocheckpoint: i32,
}

#[tokio::test]
async fn connections_only_checkpoint_as_a_backstop() {
    let (store, _dir) = store().await;
    let mut conn = store.conn().await.unwrap();
    let pages: Pages = diesel::sql_query("PRAGMA wal_autocheckpoint")
        .get_result(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        pages.wal_autocheckpoint,
        i32::try_from(AUTOCHECKPOINT_PAGES).unwrap()
    );
}

#[tokio::test]
async fn a_checkpoint_copies_the_wal_into_the_database_file() {
    let (store, _dir) = store().await;
    store.checkpoint().await.unwrap();
    let before = file_len(&store);
    write_events(&store, 500).await;
    assert_eq!(
        file_len(&store),
        before,
        "the writes stay in the WAL until a checkpoint"
    );

    let done = store.checkpoint().await.unwrap();
    assert_eq!(done.busy, 0);
    assert!(done.wal_frames > 0, "{done:?}");
    assert_eq!(done.checkpointed, done.wal_frames, "{done:?}");
    assert!(file_len(&store) > before, "the pages reached the database file");
}

#[tokio::test]
async fn the_background_checkpointer_keeps_up() {
    let (store, _dir) = store().await;
    store.checkpoint().await.unwrap();
    let before = file_len(&store);
    let job = store.spawn_checkpointer(Duration::from_millis(20), Duration::from_millis(40));
    write_events(&store, 500).await;
    let started = Instant::now();
    while file_len(&store) == before {
        assert!(started.elapsed() < Duration::from_secs(5), "no checkpoint ran");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    job.abort();
    assert!(job.await.unwrap_err().is_cancelled());
}
