//! What is particular to the SQLite store: URLs, files, PRAGMAs, migrations, locking.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use latchkey_domain::UserId;
use latchkey_ports::conformance::fixtures::new_user;
use latchkey_ports::{StoreError, StoreHealth, UserStore};
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

#[tokio::test]
async fn migrations_apply_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("m.db").display().to_string();
    let store = SqliteStore::connect(&url, SqliteOptions::default())
        .await
        .unwrap();
    assert_eq!(
        store.migrate().await.unwrap(),
        [
            "20261122000001",
            "20261122000002",
            "20261122000003",
            "20261124000004"
        ]
    );
    assert!(store.migrate().await.unwrap().is_empty());
    store.create_user(new_user("after.migrate")).await.unwrap();
}

#[tokio::test]
async fn rows_the_domain_refuses_read_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_at(
        &dir.path().join("c.db").display().to_string(),
        SqliteOptions::default(),
    )
    .await;
    let user = store.create_user(new_user("valid")).await.unwrap();
    // "ab" passes the table's CHECK but not Username::parse (3 characters minimum).
    let mut conn = store.conn().await.unwrap();
    conn.batch_execute(&format!(
        "UPDATE users SET username = 'ab' WHERE id = {}",
        user.id
    ))
    .await
    .unwrap();
    drop(conn);
    let err = store.get_user(user.id).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Corrupt(ref m) if m.contains("username")),
        "{err:?}"
    );
}

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

/// Every `down.sql` undoes its `up.sql`: up, down, up again, and the store still works.
#[tokio::test]
async fn migrations_revert_cleanly_and_reapply() {
    use diesel_async::pooled_connection::deadpool::Object;

    let dir = tempfile::tempdir().unwrap();
    let store = store_at(
        &dir.path().join("r.db").display().to_string(),
        SqliteOptions::default(),
    )
    .await;
    let conn = Object::take(store.conn().await.unwrap());
    let (conn, reverted) = latchkey_sql::migrate::revert_all(conn, latchkey_sqlite::MIGRATIONS)
        .await
        .unwrap();
    assert_eq!(
        reverted,
        [
            "20261124000004",
            "20261122000003",
            "20261122000002",
            "20261122000001"
        ]
    );

    #[derive(QueryableByName)]
    struct Tables {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = conn;
    let left: Tables = diesel::sql_query(
        "SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '__diesel_schema_migrations'",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    assert_eq!(left.n, 0, "down.sql dropped every table");
    drop(conn);

    assert_eq!(
        store.migrate().await.unwrap(),
        [
            "20261122000001",
            "20261122000002",
            "20261122000003",
            "20261124000004"
        ]
    );
    store.create_user(new_user("second.life")).await.unwrap();
}

/// What the ports cannot show: a soft delete really erases the token in the row, the
/// schema itself refuses a second live default, and a label the domain refuses reads
/// as corrupt.
#[tokio::test]
async fn ring_account_rows_keep_their_invariants() {
    use latchkey_domain::RingLinkStatus;
    use latchkey_ports::RingAccountStore;
    use latchkey_ports::conformance::fixtures::{T0, new_ring_account, sealed};

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    let dir = tempfile::tempdir().unwrap();
    let store = store_at(
        &dir.path().join("ring.db").display().to_string(),
        SqliteOptions::default(),
    )
    .await;
    let user = store.create_user(new_user("resident")).await.unwrap();
    let mut ids = Vec::new();
    for name in ["Home", "Office", "Cellar"] {
        let account = store
            .create_ring_account(new_ring_account(user.id, name, T0))
            .await
            .unwrap();
        ids.push(account.id);
    }
    store
        .save_ring_token(ids[0], sealed(1), RingLinkStatus::Linked, T0)
        .await
        .unwrap();
    store.delete_ring_account(ids[0], user.id, T0).await.unwrap();

    let mut conn = store.conn().await.unwrap();
    let erased: Count = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM ring_accounts WHERE id = {} AND sealed_token IS NULL \
         AND deleted_at IS NOT NULL AND NOT is_default",
        ids[0]
    ))
    .get_result(&mut *conn)
    .await
    .unwrap();
    assert_eq!(erased.n, 1);

    // ids[1] inherited the default; a second one breaks the partial unique index.
    let err = conn
        .batch_execute(&format!(
            "UPDATE ring_accounts SET is_default = TRUE WHERE id = {}",
            ids[2]
        ))
        .await
        .unwrap_err();
    assert_eq!(
        latchkey_sql::map_diesel_error(err),
        StoreError::Conflict("default_ring_account".into())
    );

    conn.batch_execute(&format!(
        "UPDATE ring_accounts SET label = '   ' WHERE id = {}",
        ids[1]
    ))
    .await
    .unwrap();
    drop(conn);
    let err = store.get_ring_account(ids[1], user.id).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Corrupt(ref m) if m.contains("label")),
        "{err:?}"
    );
}

/// Upgrading a database that already has an unlock audit: the guest migration rebuilds
/// `unlock_events` (SQLite cannot alter a CHECK) and must keep every row and never hand
/// out an id again.
#[tokio::test]
async fn the_guest_migration_keeps_the_unlock_audit_and_its_ids() {
    use diesel_async::pooled_connection::deadpool::Object;
    use latchkey_ports::UnlockAuditStore;

    let dir = tempfile::tempdir().unwrap();
    let store = store_at(
        &dir.path().join("u.db").display().to_string(),
        SqliteOptions::default(),
    )
    .await;
    let conn = Object::take(store.conn().await.unwrap());
    let (conn, reverted) = latchkey_sql::migrate::revert_last(conn, latchkey_sqlite::MIGRATIONS)
        .await
        .unwrap();
    assert_eq!(reverted, ["20261124000004"]);
    let (mut conn, reverted) = latchkey_sql::migrate::revert_last(conn, latchkey_sqlite::MIGRATIONS)
        .await
        .unwrap();
    assert_eq!(reverted, ["20261122000003"]);
    conn.batch_execute(
        "INSERT INTO unlock_events (id, occurred_at, actor_kind, guest_link_id, outcome) \
         VALUES (1, '2026-03-01 08:00:00', 'guest', 7, 'opened'), \
                (2, '2026-03-01 08:01:00', 'guest', 7, 'failed'); \
         DELETE FROM unlock_events WHERE id = 2;",
    )
    .await
    .unwrap();
    drop(conn);
    assert_eq!(
        store.migrate().await.unwrap(),
        ["20261122000003", "20261124000004"]
    );

    let event = |link_id| latchkey_ports::NewUnlockEvent {
        occurred_at: time::macros::datetime!(2026-03-01 09:00 UTC),
        actor: latchkey_domain::UnlockActor::Guest { link_id },
        owner_id: None,
        ring_account_id: None,
        intercom_id: None,
        outcome: latchkey_domain::UnlockOutcome::Failed,
        error_code: Some("not_found".into()),
        ip: None,
        user_agent: None,
    };
    store.record_unlock(event(None)).await.unwrap();
    let page = store.list_unlocks(None, 0, 10).await.unwrap();
    let ids: Vec<i64> = page.items.iter().map(|e| e.id).collect();
    assert_eq!(ids, [3, 1], "the old row kept; id 2 never handed out again");
}
