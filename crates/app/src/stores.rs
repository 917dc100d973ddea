//! Chooses the store by the database URL's scheme and splits it into its ports.

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

pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Opens the store and brings its schema up to date.
pub async fn open(url: &str, pool_size: usize) -> anyhow::Result<StorePorts> {
    if is_postgres(url) {
        let options = latchkey_postgres::PgOptions {
            max_connections: pool_size,
            ..Default::default()
        };
        let store = latchkey_postgres::PgStore::connect(url, options)
            .await
            .context("opening PostgreSQL")?;
        store.migrate().await.context("migrating PostgreSQL")?;
        Ok(split(Arc::new(store)))
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
