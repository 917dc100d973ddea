//! The storage conformance suite on SQLite: a temp file per test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use latchkey_sqlite::{SqliteOptions, SqliteStore};
use tempfile::TempDir;

async fn fresh_store() -> Option<(SqliteStore, TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("latchkey.db").display());
    let store = SqliteStore::connect_and_migrate(&url, SqliteOptions::default())
        .await
        .unwrap();
    Some((store, dir))
}

latchkey_ports::conformance_suite!(fresh_store);
