//! The HTTP workers' store: a pool per thread, opened by the thread that uses it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Barrier};
use std::time::Duration;

use latchkey_ports::{StoreError, UserStore};
use latchkey_postgres::testing;
use latchkey_postgres::{PgOptions, PgStore};

/// Runs `f` on a thread of its own with a single-threaded runtime, as an HTTP worker.
fn spawn_worker<F, T>(
    store: &PgStore,
    f: impl FnOnce(PgStore) -> F + Send + 'static,
) -> std::thread::JoinHandle<T>
where
    F: std::future::Future<Output = T>,
    T: Send + 'static,
{
    let store = store.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(f(store))
    })
}

/// A per-thread store of `max_connections` shared by `threads` workers; a connection
/// not free within 300 ms is Unavailable.
fn per_thread(url: &str, max_connections: usize, threads: usize) -> PgStore {
    let options = PgOptions {
        max_connections,
        acquire_timeout: Duration::from_millis(300),
        ..PgOptions::default()
    };
    PgStore::build_per_thread(url, options, threads).unwrap()
}

#[tokio::test]
async fn each_worker_opens_its_own_share_of_the_pool_on_first_use() {
    let Some((_, guard)) = testing::fresh_store().await else {
        return;
    };
    let store = per_thread(guard.url(), 4, 2);
    assert_eq!(
        store.open_connections(),
        0,
        "nothing is opened before a worker asks"
    );
    // Both workers alive at once, as the server's are (a thread's pool outlives it and
    // goes to the next thread, so workers that came one after the other would share).
    let both = Arc::new(Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let both = both.clone();
            spawn_worker(&store, |store| async move {
                assert_eq!(store.count_users().await.unwrap(), 0);
                // This worker's share is 4 / 2: a third connection at once is not there.
                let held = (store.conn().await.unwrap(), store.conn().await.unwrap());
                let third = store.conn().await.map(drop);
                drop(held);
                both.wait();
                third
            })
        })
        .collect();
    for worker in workers {
        let third = worker.join().unwrap();
        assert!(matches!(third, Err(StoreError::Unavailable(_))), "{third:?}");
    }
    assert_eq!(store.open_connections(), 4, "two workers, two connections each");
}

#[tokio::test]
async fn a_per_thread_store_refuses_urls_of_other_databases() {
    assert!(PgStore::build_per_thread("sqlite://x.db", PgOptions::default(), 2).is_err());
}

/// A worker thread that dies and is replaced (actix restarts it) leaves its pool behind,
/// and the next new thread may be handed it: connections driven by the dead thread's
/// runtime must be replaced, not used.
#[tokio::test]
async fn a_new_worker_never_queries_through_a_dead_workers_connection() {
    let Some((_, guard)) = testing::fresh_store().await else {
        return;
    };
    let store = per_thread(guard.url(), 2, 1);
    for round in 0..3 {
        // Each worker's runtime (and with it every connection it drove) ends with it.
        let answer = spawn_worker(&store, |store| async move {
            let held = (store.conn().await, store.conn().await);
            drop(held);
            store.count_users().await
        })
        .join()
        .unwrap();
        assert_eq!(answer.unwrap(), 0, "round {round}");
    }
    // The workers came one after the other, so each was handed the one before's pool
    // (three pools would hold up to six): the case this test is about did happen.
    assert!(store.open_connections() <= 2, "{}", store.open_connections());
}
