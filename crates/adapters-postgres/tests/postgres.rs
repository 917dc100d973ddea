//! What is particular to the PostgreSQL store: URLs, outages, pooling, migrations, the
//! per-test schema helper. Tests needing a server skip (or fail under `CI=true`) like
//! the conformance suite.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use latchkey_ports::conformance::fixtures::new_user;
use latchkey_ports::{StoreError, StoreHealth, UserStore};
use latchkey_postgres::testing::{self, fresh_schema};
use latchkey_postgres::{OpenError, PgOptions, PgStore};

fn quick(acquire_ms: u64) -> PgOptions {
    PgOptions {
        max_connections: 1,
        acquire_timeout: Duration::from_millis(acquire_ms),
        ..PgOptions::default()
    }
}

#[tokio::test]
async fn refuses_urls_of_other_databases() {
    for url in ["sqlite://x.db", "mysql://h/db", "host=localhost user=postgres"] {
        assert!(
            matches!(
                PgStore::build(url, PgOptions::default()),
                Err(OpenError::InvalidUrl(_))
            ),
            "{url}"
        );
    }
}

#[tokio::test]
async fn a_refused_connection_is_unavailable_at_once() {
    let started = Instant::now();
    let err = PgStore::connect("postgres://postgres@127.0.0.1:1/postgres", PgOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, OpenError::Store(StoreError::Unavailable(_))),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_silent_server_is_unavailable_within_the_acquire_timeout() {
    // TEST-NET-1 (RFC 5737): nothing answers there, so connecting hangs or fails.
    let store = PgStore::build("postgres://postgres@192.0.2.1:5432/postgres", quick(500)).unwrap();
    let started = Instant::now();
    assert!(matches!(store.ping().await, Err(StoreError::Unavailable(_))));
    assert!(matches!(
        store.get_user(latchkey_domain::UserId(1)).await,
        Err(StoreError::Unavailable(_))
    ));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn migrations_apply_once_and_concurrent_starters_take_turns() {
    let Some((url, guard)) = fresh_schema().await else {
        return;
    };
    let (a, b) = (
        PgStore::connect(&url, PgOptions::default()),
        PgStore::connect(&url, PgOptions::default()),
    );
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    let (ran_a, ran_b) = tokio::join!(a.migrate(), b.migrate());
    let mut applied = [ran_a.unwrap(), ran_b.unwrap()];
    applied.sort();
    assert_eq!(
        applied,
        [
            vec![],
            vec![
                "20261122000001".to_owned(),
                "20261122000002".to_owned(),
                "20261122000003".to_owned(),
                "20261124000004".to_owned(),
                "20261206000005".to_owned(),
            ]
        ]
    );
    assert!(a.migrate().await.unwrap().is_empty());
    a.create_user(new_user("after.migrate")).await.unwrap();
    drop((a, b));
    guard.drop_schema().await.unwrap();
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[tokio::test]
async fn test_schemas_isolate_tables_and_are_dropped() {
    let Some((url, guard)) = fresh_schema().await else {
        return;
    };
    let schema = guard.schema().to_owned();
    let store = PgStore::connect_and_migrate(&url, PgOptions::default())
        .await
        .unwrap();
    let mut conn = store.conn().await.unwrap();
    let q = format!(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = '{schema}' \
         AND current_schema() = '{schema}' AND table_name IN ('users', 'sessions', 'login_audit', 'settings')"
    );
    let in_schema: Count = diesel::sql_query(q).get_result(&mut *conn).await.unwrap();
    assert_eq!(in_schema.n, 4);
    drop(conn);
    drop(store);
    drop(guard); // the blocking Drop path

    let admin = PgStore::connect(&testing::base_url(), PgOptions::default())
        .await
        .unwrap();
    let mut conn = admin.conn().await.unwrap();
    let left: Count = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM pg_namespace WHERE nspname = '{schema}'"
    ))
    .get_result(&mut *conn)
    .await
    .unwrap();
    assert_eq!(left.n, 0, "the guard dropped {schema}");
}

#[tokio::test]
async fn rows_the_domain_refuses_read_as_corrupt() {
    let Some((store, _guard)) = testing::fresh_store().await else {
        return;
    };
    let user = store.create_user(new_user("valid")).await.unwrap();
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

/// After the server drops a pooled connection, at most one call fails (Unavailable) and
/// the pool then replaces the dead connection by itself.
#[tokio::test]
async fn a_killed_connection_is_replaced() {
    let Some((_, guard)) = testing::fresh_store().await else {
        return;
    };
    // One connection, so the killed one is the one the next call gets.
    let store = PgStore::connect(guard.url(), quick(3_000)).await.unwrap();
    let pid = testing::backend_pid(&store).await.unwrap();

    let admin = PgStore::connect(&testing::base_url(), PgOptions::default())
        .await
        .unwrap();
    assert!(testing::terminate_backend(&admin, pid).await.unwrap());
    tokio::time::sleep(Duration::from_millis(100)).await;

    match store.ping().await {
        Ok(()) => {}
        Err(StoreError::Unavailable(_)) => store.ping().await.unwrap(),
        Err(other) => panic!("a dropped connection must read as unavailable, got {other:?}"),
    }
    store.create_user(new_user("after.outage")).await.unwrap();
}

#[tokio::test]
async fn an_exhausted_pool_answers_unavailable_within_the_acquire_timeout() {
    let Some((_, guard)) = testing::fresh_store().await else {
        return;
    };
    let store = PgStore::connect(guard.url(), quick(200)).await.unwrap();
    let held = store.conn().await.unwrap();
    let started = Instant::now();
    assert!(matches!(
        store.count_users().await,
        Err(StoreError::Unavailable(_))
    ));
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(held);
    assert_eq!(store.count_users().await.unwrap(), 0);
}

/// A statement PostgreSQL does not answer in time (here: waiting on a row lock another
/// session holds) is Unavailable at the query timeout, and its connection is closed
/// rather than handed to the next caller.
#[tokio::test]
async fn a_statement_not_answered_in_time_is_unavailable_and_its_connection_closed() {
    let Some((store, guard)) = testing::fresh_store().await else {
        return;
    };
    let user = store.create_user(new_user("row.locked")).await.unwrap();
    let options = PgOptions {
        max_connections: 1,
        query_timeout: Duration::from_millis(300),
        ..PgOptions::default()
    };
    let bounded = PgStore::connect(guard.url(), options).await.unwrap();
    let before = testing::backend_pid(&bounded).await.unwrap();

    let mut holder = testing::lock_user_row(&store, user.id).await.unwrap();
    let started = Instant::now();
    let err = bounded.delete_user(user.id).await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(2),
        "{took:?}"
    );
    holder.batch_execute("ROLLBACK").await.unwrap();
    drop(holder);

    assert_ne!(
        testing::backend_pid(&bounded).await.unwrap(),
        before,
        "a new connection"
    );
    bounded.ping().await.unwrap();
}

/// Every `down.sql` undoes its `up.sql`: up, down, up again, and the store still works.
#[tokio::test]
async fn migrations_revert_cleanly_and_reapply() {
    use diesel_async::pooled_connection::deadpool::Object;

    let Some((store, guard)) = testing::fresh_store().await else {
        return;
    };
    let conn = Object::take(store.conn().await.unwrap());
    let (mut conn, reverted) = latchkey_sql::migrate::revert_all(conn, latchkey_postgres::MIGRATIONS)
        .await
        .unwrap();
    assert_eq!(
        reverted,
        [
            "20261206000005",
            "20261124000004",
            "20261122000003",
            "20261122000002",
            "20261122000001"
        ]
    );
    let left: Count = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = '{}' \
         AND table_name <> '__diesel_schema_migrations'",
        guard.schema()
    ))
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
            "20261124000004",
            "20261206000005"
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

    let Some((store, _guard)) = testing::fresh_store().await else {
        return;
    };
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
