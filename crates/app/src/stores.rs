//! Chooses the store by the database URL's scheme and splits it into its ports.
//!
//! The server opens PostgreSQL twice: a pool for requests and a small one for start-up,
//! background jobs and the Ring token vault. A PostgreSQL connection's socket is driven
//! by a task on the runtime that opened it, for as long as it lives. Connections opened
//! by start-up or by a background job's first tick (on the main runtime) stayed in the
//! one pool, and every request query that drew one woke a main-runtime thread to send
//! and receive for it: under a `/api/auth/me` flood the main runtime's threads used about
//! a third of the server's CPU (per-thread ticks in `/proc`, 2026-12-06), and none once
//! the request pool's connections were opened only by the HTTP workers that use them.
//! Each worker now has a pool of its own: with one shared pool, a worker querying through
//! a connection another worker had opened still paid two cross-thread wake-ups per query.

use std::sync::Arc;

use anyhow::Context;
use latchkey_ports::{
    DeviceHealthStore, GuestLinkStore, GuestTemplateStore, LoginAuditStore, RingAccountStore,
    RingAuthAttemptStore, SessionStore, SettingsStore, StoreHealth, UnlockAuditStore, UserStore,
};

/// One store, seen through each of its ports.
#[derive(Clone)]
pub struct StorePorts {
    pub users: Arc<dyn UserStore>,
    pub sessions: Arc<dyn SessionStore>,
    pub login_audit: Arc<dyn LoginAuditStore>,
    pub settings: Arc<dyn SettingsStore>,
    pub health: Arc<dyn StoreHealth>,
    pub ring_accounts: Arc<dyn RingAccountStore>,
    pub ring_attempts: Arc<dyn RingAuthAttemptStore>,
    pub unlock_audit: Arc<dyn UnlockAuditStore>,
    pub device_health: Arc<dyn DeviceHealthStore>,
    pub guest_links: Arc<dyn GuestLinkStore>,
    pub guest_templates: Arc<dyn GuestTemplateStore>,
    /// The SQLite store itself, when that is the store: the server checkpoints its WAL
    /// in the background (`latchkey_sqlite::SqliteStore::spawn_checkpointer`).
    pub sqlite: Option<latchkey_sqlite::SqliteStore>,
}

impl std::fmt::Debug for StorePorts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StorePorts")
    }
}

fn split<S>(store: Arc<S>) -> StorePorts
where
    S: UserStore
        + SessionStore
        + LoginAuditStore
        + SettingsStore
        + StoreHealth
        + RingAccountStore
        + RingAuthAttemptStore
        + UnlockAuditStore
        + DeviceHealthStore
        + GuestLinkStore
        + GuestTemplateStore,
{
    StorePorts {
        users: store.clone(),
        sessions: store.clone(),
        login_audit: store.clone(),
        settings: store.clone(),
        health: store.clone(),
        ring_accounts: store.clone(),
        ring_attempts: store.clone(),
        unlock_audit: store.clone(),
        device_health: store.clone(),
        guest_links: store.clone(),
        guest_templates: store,
        sqlite: None,
    }
}

/// The server's stores: the same SQLite store twice, or two PostgreSQL pools.
#[derive(Debug, Clone)]
pub struct ServerStores {
    /// For the HTTP workers' use cases.
    pub requests: StorePorts,
    /// For start-up, background jobs, the demo's seeding and the Ring token vault.
    pub background: StorePorts,
}

/// Connections of the background pool: jobs run one at a time, and the vault writes
/// only when a Ring token changes.
const BACKGROUND_CONNECTIONS: usize = 2;

/// Opens the server's stores and brings the schema up to date. Nothing here opens a
/// connection of the request pools: each of the `workers` HTTP workers opens its own
/// share of `pool_size` when it first queries.
pub async fn open_for_server(url: &str, pool_size: usize, workers: usize) -> anyhow::Result<ServerStores> {
    if !is_postgres(url) {
        let store = open(url, pool_size).await?;
        return Ok(ServerStores {
            background: store.clone(),
            requests: store,
        });
    }
    let background = open_postgres(url, BACKGROUND_CONNECTIONS).await?;
    let requests = latchkey_postgres::PgStore::build_per_thread(url, pg_options(pool_size), workers)
        .context("opening PostgreSQL")?;
    Ok(ServerStores {
        requests: split(Arc::new(requests)),
        background,
    })
}

pub fn is_postgres(url: &str) -> bool {
    latchkey_postgres::is_postgres_url(url)
}

/// Opens the store and brings its schema up to date.
pub async fn open(url: &str, pool_size: usize) -> anyhow::Result<StorePorts> {
    if is_postgres(url) {
        open_postgres(url, pool_size).await
    } else {
        let options = latchkey_sqlite::SqliteOptions {
            max_connections: pool_size,
            ..Default::default()
        };
        let store = latchkey_sqlite::SqliteStore::connect(url, options)
            .await
            .context("opening SQLite")?;
        store.migrate().await.context("migrating SQLite")?;
        let sqlite = store.clone();
        Ok(StorePorts {
            sqlite: Some(sqlite),
            ..split(Arc::new(store))
        })
    }
}

fn pg_options(pool_size: usize) -> latchkey_postgres::PgOptions {
    latchkey_postgres::PgOptions {
        max_connections: pool_size,
        ..Default::default()
    }
}

async fn open_postgres(url: &str, pool_size: usize) -> anyhow::Result<StorePorts> {
    let store = latchkey_postgres::PgStore::connect(url, pg_options(pool_size))
        .await
        .context("opening PostgreSQL")?;
    store.migrate().await.context("migrating PostgreSQL")?;
    Ok(split(Arc::new(store)))
}
