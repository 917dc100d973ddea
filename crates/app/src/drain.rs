//! Stopping in order: requests in progress finish, then the store's connections close.
//!
//! actix stops an idle worker at once, and each worker is its own tokio runtime. Pooled
//! outbound connections (PostgreSQL, Ring over reqwest/hyper) are driven by tasks on the
//! runtime that opened them, so a busy worker's request can be using a connection whose
//! task dies with an idle worker: the door opens but the guest sees a 502. So: stop
//! accepting, wait with every worker alive until no request is in progress (bounded by
//! the grace period), and only then stop the workers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServerHandle, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use latchkey_ports::StoreHealth;

/// Requests in progress, counted by [`track`].
#[derive(Debug, Default)]
pub struct InFlight(AtomicUsize);

impl InFlight {
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Decrements on drop, so a request whose client went away is not counted forever.
struct Counted(Arc<InFlight>);

impl Counted {
    fn new(in_flight: Arc<InFlight>) -> Self {
        in_flight.0.fetch_add(1, Ordering::SeqCst);
        Self(in_flight)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Middleware: counts the request while the application handles it.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let counted = req
        .app_data::<web::Data<InFlight>>()
        .map(|d| Counted::new(d.clone().into_inner()));
    let res = next.call(req).await;
    drop(counted);
    res
}

/// Stops the server gracefully (see the module docs).
#[derive(Debug, Clone)]
pub struct Stopper {
    pub(crate) server: ServerHandle,
    pub(crate) in_flight: Arc<InFlight>,
    pub(crate) grace: Duration,
}

impl Stopper {
    pub async fn stop(&self) {
        self.server.pause().await;
        let deadline = Instant::now() + self.grace;
        while self.in_flight.count() > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        // What is left (a keep-alive request that just arrived) gets actix's own grace.
        self.server.stop(true).await;
    }

    /// Stops at once, dropping requests in progress.
    pub async fn stop_now(&self) {
        self.server.stop(false).await;
    }
}

/// How long the stop waits for workers to let go of the store after they stopped.
const STORE_RELEASE_WAIT: Duration = Duration::from_secs(5);

/// Drops the last handle on the store here, once every worker and job has dropped
/// theirs, so the pool closes its connections (SQLite folds its write-ahead log back into
/// the file) before the process exits. actix reports a worker stopped before its thread
/// drops the application state, so without this wait the exit can come first.
pub(crate) async fn close_store(store: Arc<dyn StoreHealth>) {
    let deadline = Instant::now() + STORE_RELEASE_WAIT;
    while Arc::strong_count(&store) > 1 {
        if Instant::now() >= deadline {
            tracing::warn!("the database is still in use; leaving its connections to the exit");
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    drop(store);
    tracing::info!("database connections closed");
}
