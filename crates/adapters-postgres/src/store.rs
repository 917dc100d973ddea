//! The PostgreSQL store: pool, timeouts, migrations.

use std::sync::Arc;
use std::time::Duration;

use diesel::ConnectionError;
use diesel::result::QueryResult;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, embed_migrations};
use latchkey_ports::StoreError;
use latchkey_sql::{OpenError, map_diesel_error, map_pool_error};
use thread_local::ThreadLocal;

/// The migrations of `migrations/postgres`, embedded (for tools and tests; start-up uses
/// `migrate`).
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Key of the session advisory lock held while migrating ("Latchkey" in ASCII).
const MIGRATION_LOCK: i64 = 0x4c61_7463_686b_6579;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgOptions {
    /// Pooled connections; about two per database core is the sweet spot (PERFORMANCE.md).
    pub max_connections: usize,
    /// The longest a caller waits for a connection, connecting included, before
    /// `StoreError::Unavailable`.
    pub acquire_timeout: Duration,
    /// The longest opening one connection may take: TCP, login and session set-up. A
    /// server that accepts and never answers fails here, not at `acquire_timeout`.
    pub connect_timeout: Duration,
    /// The longest one store operation may wait for PostgreSQL once it holds a
    /// connection (see `latchkey_sql::deadline`). Past it: `StoreError::Unavailable`,
    /// and the connection is closed.
    pub query_timeout: Duration,
}

impl Default for PgOptions {
    fn default() -> Self {
        // Connect and query limits under 3 s: a request that meets an outage answers
        // 503 within 3 s (docs/reliability.md).
        Self {
            max_connections: 8,
            acquire_timeout: Duration::from_secs(3),
            connect_timeout: Duration::from_secs(2),
            query_timeout: Duration::from_secs(2),
        }
    }
}

/// Every storage port on one PostgreSQL database (or schema). Cheap to clone.
#[derive(Clone)]
pub struct PgStore {
    pools: Pools,
    acquire_timeout: Duration,
    query_timeout: Duration,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL: it may carry a password.
        match &self.pools {
            Pools::Shared(pool) => f.debug_struct("PgStore").field("pool", &pool.status()).finish(),
            Pools::PerThread(p) => f
                .debug_struct("PgStore")
                .field("threads", &p.pools.iter().count())
                .field("per_thread", &p.size)
                .finish(),
        }
    }
}

impl PgStore {
    /// Builds the pool; connects to nothing yet.
    ///
    /// # Errors
    /// [`OpenError::InvalidUrl`] unless the URL is `postgres://` or `postgresql://`;
    /// [`OpenError::Pool`] for impossible options.
    pub fn build(url: &str, options: PgOptions) -> Result<Self, OpenError> {
        check_url(url)?;
        let pool = pool(url, options.connect_timeout, options.max_connections)?;
        Ok(Self {
            pools: Pools::Shared(pool),
            acquire_timeout: options.acquire_timeout,
            query_timeout: options.query_timeout,
        })
    }

    /// As [`build`](Self::build), but each thread that uses the store gets a pool of
    /// its own, of `max_connections / threads` (at least 1) connections, opened on first
    /// use. For the HTTP workers, each a single-threaded runtime: a connection is driven
    /// by a task on the runtime that opened it, so a worker querying through another
    /// worker's connection paid two cross-thread wake-ups per query (measured with
    /// strace on a guest unlock: three hops of ~0.1–0.3 ms). A thread other than the
    /// `threads` workers that uses the store adds a pool of that size. A thread's pool
    /// outlives it and goes to the next new thread: connections whose runtime is gone
    /// report closed and are dropped at checkout (recycling), then opened anew.
    ///
    /// # Errors
    /// As `build`.
    pub fn build_per_thread(url: &str, options: PgOptions, threads: usize) -> Result<Self, OpenError> {
        check_url(url)?;
        let size = options.max_connections.max(1).div_ceil(threads.max(1));
        // Fails here, not on a worker's first query, for impossible options.
        pool(url, options.connect_timeout, size)?;
        Ok(Self {
            pools: Pools::PerThread(Arc::new(PerThread {
                url: url.to_owned(),
                connect_timeout: options.connect_timeout,
                size,
                pools: ThreadLocal::new(),
            })),
            acquire_timeout: options.acquire_timeout,
            query_timeout: options.query_timeout,
        })
    }

    /// [`build`](Self::build), then checks out one connection, so a wrong URL or a down
    /// server fails here rather than on the first request.
    ///
    /// # Errors
    /// As `build`, and [`OpenError::Store`] (`Unavailable`) when the server does not
    /// answer within the acquire timeout or refuses the login.
    pub async fn connect(url: &str, options: PgOptions) -> Result<Self, OpenError> {
        let store = Self::build(url, options)?;
        drop(store.conn().await?);
        tracing::info!("postgres store connected");
        Ok(store)
    }

    /// [`connect`](Self::connect), then [`migrate`](Self::migrate): what start-up wants.
    ///
    /// # Errors
    /// As `connect` and `migrate`.
    pub async fn connect_and_migrate(url: &str, options: PgOptions) -> Result<Self, OpenError> {
        let store = Self::connect(url, options).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the pending migrations of `migrations/postgres`; returns their versions.
    /// Holds a session advisory lock meanwhile, so concurrent starters take turns.
    ///
    /// # Errors
    /// [`OpenError::Store`] without a connection or lock, [`OpenError::Migration`] when a
    /// migration fails (the lock goes with the connection, which is then dropped).
    pub async fn migrate(&self) -> Result<Vec<String>, OpenError> {
        // Taken out of the pool: the harness owns it while it runs on a blocking thread.
        let mut conn = Object::take(self.conn().await?);
        advisory(&mut conn, "pg_advisory_lock").await?;
        let (mut conn, applied) = latchkey_sql::migrate::run_pending(conn, MIGRATIONS).await?;
        // Best effort: dropping the connection below releases the lock anyway.
        if let Err(e) = advisory(&mut conn, "pg_advisory_unlock").await {
            tracing::warn!(error = %e, "could not release the migration lock");
        }
        if !applied.is_empty() {
            tracing::info!(?applied, "postgres migrations applied");
        }
        Ok(applied)
    }

    /// A pooled connection, for the port implementations (and tests that need raw SQL).
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when none is ready within the acquire timeout or the
    /// server refuses the connection.
    pub async fn conn(&self) -> Result<Object<AsyncPgConnection>, StoreError> {
        let pool = match &self.pools {
            Pools::Shared(pool) => pool,
            Pools::PerThread(p) => p
                .pools
                .get_or_try(|| pool(&p.url, p.connect_timeout, p.size))
                .map_err(|e| StoreError::Unavailable(e.to_string()))?,
        };
        match tokio::time::timeout(self.acquire_timeout, pool.get()).await {
            Ok(got) => got.map_err(map_pool_error),
            Err(_) => Err(StoreError::Unavailable(format!(
                "no database connection within {:?}",
                self.acquire_timeout
            ))),
        }
    }
}

impl PgStore {
    /// Connections open now, over every pool of this store (tests, diagnostics).
    pub fn open_connections(&self) -> usize {
        match &self.pools {
            Pools::Shared(pool) => pool.status().size,
            Pools::PerThread(p) => p.pools.iter().map(|pool| pool.status().size).sum(),
        }
    }

    /// How long a port body may wait once it holds a connection (`latchkey_sql::__bounded!`).
    pub(crate) fn query_timeout(&self) -> Option<Duration> {
        Some(self.query_timeout)
    }

    /// What `/api/ready` asks: a round trip.
    pub(crate) async fn probe(conn: &mut AsyncPgConnection) -> QueryResult<()> {
        diesel::sql_query("SELECT 1").execute(conn).await.map(drop)
    }
}

/// The store's pool, or its pools, one per thread.
#[derive(Clone)]
enum Pools {
    Shared(Pool<AsyncPgConnection>),
    PerThread(Arc<PerThread>),
}

struct PerThread {
    url: String,
    connect_timeout: Duration,
    size: usize,
    pools: ThreadLocal<Pool<AsyncPgConnection>>,
}

/// Whether `url` names a PostgreSQL database (the schemes this store accepts).
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn check_url(url: &str) -> Result<(), OpenError> {
    if is_postgres_url(url) {
        Ok(())
    } else {
        Err(OpenError::InvalidUrl(
            "expected postgres:// or postgresql://".into(),
        ))
    }
}

/// A pool of at most `size` connections to `url`; connects to nothing yet.
fn pool(url: &str, connect_timeout: Duration, size: usize) -> Result<Pool<AsyncPgConnection>, OpenError> {
    let mut config = ManagerConfig::<AsyncPgConnection>::default();
    config.custom_setup = Box::new(move |url: &str| {
        let url = url.to_owned();
        Box::pin(async move {
            tokio::time::timeout(connect_timeout, AsyncPgConnection::establish(&url))
                .await
                .unwrap_or_else(|_| {
                    Err(ConnectionError::BadConnection(format!(
                        "PostgreSQL did not answer within {connect_timeout:?}"
                    )))
                })
        })
    });
    // "Verified" would add a round trip to every checkout (PERFORMANCE.md: one query
    // per hot request). "Fast" still drops connections whose socket closed or whose
    // transaction broke, so after an outage each dead connection fails at most once.
    config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::new_with_config(url, config);
    Pool::builder(manager)
        .max_size(size.max(1))
        .build()
        .map_err(|e| OpenError::Pool(e.to_string()))
}

async fn advisory(conn: &mut AsyncPgConnection, function: &str) -> Result<(), StoreError> {
    diesel::sql_query(format!("SELECT {function}({MIGRATION_LOCK})"))
        .execute(conn)
        .await
        .map_err(map_diesel_error)?;
    Ok(())
}
