//! A session PostgreSQL ends under a running statement — an operator's
//! `pg_terminate_backend`, a fast shutdown (`pg_ctl stop -m fast`) — answers
//! "terminating connection due to administrator command" (SQLSTATE 57P01) to that
//! statement. That is the database going away, so it is `Unavailable` (503), not `Other`
//! (500), and the store carries on with a new connection.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use diesel_async::SimpleAsyncConnection;
use latchkey_ports::conformance::fixtures::new_user;
use latchkey_ports::{StoreError, StoreHealth, UserStore};
use latchkey_postgres::testing;
use latchkey_postgres::{PgOptions, PgStore};

#[tokio::test]
async fn a_statement_whose_session_is_terminated_is_unavailable() {
    let Some((store, guard)) = testing::fresh_store().await else {
        return;
    };
    let user = store.create_user(new_user("terminated")).await.unwrap();
    // One connection, so the statement below runs on the session we look up here.
    let options = PgOptions {
        max_connections: 1,
        ..PgOptions::default()
    };
    let victim = PgStore::connect(guard.url(), options).await.unwrap();
    let pid = testing::backend_pid(&victim).await.unwrap();

    // The victim's DELETE waits on a row lock while its session is terminated.
    let mut holder = testing::lock_user_row(&store, user.id).await.unwrap();
    let terminate = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(testing::terminate_backend(&store, pid).await.unwrap());
    };
    let (result, ()) = tokio::join!(victim.delete_user(user.id), terminate);
    let err = result.unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    holder.batch_execute("ROLLBACK").await.unwrap();
    drop(holder);

    // The closed connection may be handed out once more before the pool sees it
    // closed (`RecyclingMethod::Fast`, store.rs): that call is Unavailable too.
    match victim.ping().await {
        Ok(()) => {}
        Err(StoreError::Unavailable(_)) => victim.ping().await.unwrap(),
        Err(other) => panic!("{other:?}"),
    }
    assert_ne!(
        testing::backend_pid(&victim).await.unwrap(),
        pid,
        "a new connection"
    );
    victim.delete_user(user.id).await.unwrap();
}
