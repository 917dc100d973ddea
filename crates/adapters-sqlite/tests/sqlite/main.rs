//! What is particular to the SQLite store: URLs, files and PRAGMAs here; locking and
//! availability in `locking`; migrations and what the schema itself guarantees in
//! `schema`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod locking;
mod schema;

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use latchkey_ports::StoreHealth;
use latchkey_sqlite::{OpenError, SqliteOptions, SqliteStore};

async fn store_at(url: &str, options: SqliteOptions) -> SqliteStore {
    SqliteStore::connect_and_migrate(url, options).await.unwrap()
}

#[tokio::test]
async fn creates_missing_directories_for_every_url_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().display();
    for url in [
        format!("sqlite://{root}/a/b/one.db"),
        format!("sqlite:{root}/c/two.db"),
        format!("{root}/d/e/f/three.db"),
    ] {
        let store = store_at(&url, SqliteOptions::default()).await;
        store.ping().await.unwrap();
        assert!(store.path().is_file(), "{url}");
    }
}

#[tokio::test]
async fn refuses_urls_it_cannot_honour() {
    for url in ["sqlite://", ":memory:", "sqlite::memory:"] {
        let err = SqliteStore::connect(url, SqliteOptions::default())
            .await
            .unwrap_err();
        assert!(matches!(err, OpenError::InvalidUrl(_)), "{url}: {err}");
    }
}

#[derive(QueryableByName)]
struct Pragma {
    #[diesel(sql_type = Text)]
    journal_mode: String,
    #[diesel(sql_type = BigInt)]
    foreign_keys: i64,
    #[diesel(sql_type = BigInt)]
    synchronous: i64,
    #[diesel(sql_type = BigInt)]
    busy_timeout: i64,
}

#[tokio::test]
async fn every_pooled_connection_gets_the_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("p.db").display().to_string();
    let store = store_at(
        &url,
        SqliteOptions {
            max_connections: 3,
            ..SqliteOptions::default()
        },
    )
    .await;
    // Hold three at once so each is a distinct connection.
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(store.conn().await.unwrap());
    }
    for conn in &mut held {
        let p: Pragma = diesel::sql_query(
            "SELECT j.journal_mode, f.foreign_keys, s.synchronous, b.timeout AS busy_timeout \
             FROM pragma_journal_mode() j, pragma_foreign_keys() f, pragma_synchronous() s, pragma_busy_timeout() b",
        )
        .get_result(&mut **conn)
        .await
        .unwrap();
        assert_eq!(p.journal_mode, "wal");
        assert_eq!((p.foreign_keys, p.synchronous, p.busy_timeout), (1, 1, 2000));
    }
}
