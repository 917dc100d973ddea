//! Locks, the pool and read-only files: each wait is bounded and each refusal is
//! `Unavailable` (503), never a hang or a 500.

use std::time::{Duration, Instant};

use diesel_async::SimpleAsyncConnection;
use latchkey_domain::UserId;
use latchkey_ports::conformance::fixtures::new_user;
use latchkey_ports::{StoreError, StoreHealth, UserStore};
use latchkey_sqlite::SqliteOptions;

use super::store_at;

#[tokio::test]
async fn a_held_write_lock_turns_into_unavailable_after_the_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteOptions {
        busy_timeout: Duration::from_millis(200),
        ..SqliteOptions::default()
    };
    let store = store_at(&dir.path().join("l.db").display().to_string(), options).await;
    let mut writer = store.conn().await.unwrap();
    writer.batch_execute("BEGIN IMMEDIATE").await.unwrap();

    let started = Instant::now();
    let err = store.create_user(new_user("blocked")).await.unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "it waited for the lock first"
    );

    writer.batch_execute("ROLLBACK").await.unwrap();
    drop(writer);
    store.create_user(new_user("unblocked")).await.unwrap();
}

/// Readiness asks for the write lock: while another connection (another process) holds
/// it, reads go on but the store is not ready; once released, it is.
#[tokio::test]
async fn readiness_needs_the_write_lock_and_reads_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteOptions {
        busy_timeout: Duration::from_millis(200),
        ..SqliteOptions::default()
    };
    let store = store_at(&dir.path().join("r.db").display().to_string(), options).await;
    let user = store.create_user(new_user("reader")).await.unwrap();
    let mut writer = store.conn().await.unwrap();
    writer.batch_execute("BEGIN EXCLUSIVE").await.unwrap();

    let started = Instant::now();
    assert!(matches!(store.ping().await, Err(StoreError::Unavailable(_))));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(store.get_user(user.id).await.unwrap().id, user.id);

    writer.batch_execute("ROLLBACK").await.unwrap();
    drop(writer);
    store.ping().await.unwrap();
    store.create_user(new_user("writer")).await.unwrap();
}

/// What SQLite really says when a write meets a read-only database maps to
/// Unavailable (503), not Other (500).
/// Readiness commits a real write (one log frame), so a disk too full for the log to
/// grow is "not ready" — a transaction that wrote nothing would commit anyway — and
/// the header value it writes back is left as it was.
#[tokio::test]
async fn readiness_commits_a_real_write_that_changes_nothing() {
    use diesel::QueryableByName;
    use diesel::sql_types::Integer;
    use diesel_async::RunQueryDsl;

    #[derive(QueryableByName)]
    struct UserVersion {
        #[diesel(sql_type = Integer)]
        user_version: i32,
    }

    let dir = tempfile::tempdir().unwrap();
    let store = store_at(
        &dir.path().join("w.db").display().to_string(),
        SqliteOptions::default(),
    )
    .await;
    let mut conn = store.conn().await.unwrap();
    conn.batch_execute("PRAGMA user_version = 42; PRAGMA wal_checkpoint(TRUNCATE);")
        .await
        .unwrap();
    drop(conn);
    assert_eq!(
        store.checkpoint().await.unwrap().wal_frames,
        0,
        "the log starts empty"
    );

    store.ping().await.unwrap();
    assert!(
        store.checkpoint().await.unwrap().wal_frames >= 1,
        "the probe appended to the log"
    );
    let mut conn = store.conn().await.unwrap();
    let version: UserVersion = diesel::sql_query("PRAGMA user_version")
        .get_result(&mut *conn)
        .await
        .unwrap();
    assert_eq!(version.user_version, 42);
}

#[tokio::test]
async fn a_write_to_a_read_only_database_is_unavailable() {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.db");
    let store = store_at(&path.display().to_string(), SqliteOptions::default()).await;
    store.create_user(new_user("existing")).await.unwrap();
    let mut read_only =
        diesel::SqliteConnection::establish(&format!("file:{}?mode=ro", path.display())).unwrap();
    let err = read_only.batch_execute("DELETE FROM users").unwrap_err();
    assert!(
        matches!(latchkey_sql::map_diesel_error(err), StoreError::Unavailable(_)),
        "a read-only database is unavailable"
    );
}

#[tokio::test]
async fn an_exhausted_pool_answers_unavailable_within_the_acquire_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let options = SqliteOptions {
        max_connections: 1,
        acquire_timeout: Duration::from_millis(200),
        ..SqliteOptions::default()
    };
    let store = store_at(&dir.path().join("x.db").display().to_string(), options).await;
    let held = store.conn().await.unwrap();
    let started = Instant::now();
    assert!(matches!(
        store.get_user(UserId(1)).await,
        Err(StoreError::Unavailable(_))
    ));
    assert!(matches!(store.ping().await, Err(StoreError::Unavailable(_))));
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(held);
    store.ping().await.unwrap();
}

/// The WAL rule in practice: transactions that start with a write queue on the lock
/// (busy timeout) instead of failing with SQLITE_BUSY_SNAPSHOT, under real parallelism.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_write_transactions_wait_instead_of_failing() {
    use latchkey_ports::conformance::fixtures::{T0, hash, new_session};
    use latchkey_ports::{SessionStore, UserUpdate};

    let dir = tempfile::tempdir().unwrap();
    let store = store_at(
        &dir.path().join("w.db").display().to_string(),
        SqliteOptions::default(),
    )
    .await;
    let shared = store.create_user(new_user("contended")).await.unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|task| {
            let store = store.clone();
            tokio::spawn(async move {
                let own = store
                    .create_user(new_user(&format!("task-{task}")))
                    .await
                    .unwrap();
                for round in 0..10 {
                    let id = format!("s-{task}-{round}");
                    store.create_session(new_session(&id, own.id, T0)).await.unwrap();
                    assert!(store.find_session(&id).await.unwrap().is_some());
                    // A transaction (update + revoke) on a row every task writes.
                    let update = UserUpdate {
                        password: Some((hash(&id), false)),
                        ..Default::default()
                    };
                    store.update_user(shared.id, update, T0).await.unwrap();
                }
                own.id
            })
        })
        .collect();
    for task in tasks {
        let own = task.await.unwrap();
        assert_eq!(store.delete_user_sessions(own).await.unwrap(), 10);
    }
}
