//! Migrations, and what the schema guarantees below the ports.

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use latchkey_ports::conformance::fixtures::new_user;
use latchkey_ports::{StoreError, UserStore};
use latchkey_sqlite::{SqliteOptions, SqliteStore};

use super::store_at;

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
