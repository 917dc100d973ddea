//! The SQLite store: pool, per-connection PRAGMAs, migrations.

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::result::{ConnectionError, QueryResult};
use diesel::{RunQueryDsl, SqliteConnection};
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, SimpleAsyncConnection};
use diesel_migrations::{EmbeddedMigrations, embed_migrations};
use latchkey_ports::StoreError;
use latchkey_sql::{OpenError, map_pool_error};

use crate::spawn::WaitOnDrop;
use crate::url::database_path;

/// The connection every query of this store runs on.
pub type SqliteConn = SyncConnectionWrapper<SqliteConnection, WaitOnDrop>;

/// The migrations of `migrations/sqlite`, embedded (for tools and tests; start-up uses
/// `migrate`).
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteOptions {
    /// Pooled connections. Readers run in parallel under WAL; writers queue on the lock.
    pub max_connections: usize,
    /// How long a caller waits for a free connection before `StoreError::Unavailable`.
    pub acquire_timeout: Duration,
    /// How long a statement waits for another connection's write lock (ours or another
    /// process's) before `StoreError::Unavailable`.
    pub busy_timeout: Duration,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        // PERFORMANCE.md: about two connections per core; more only add latency.
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            max_connections: (2 * cores).clamp(2, 16),
            acquire_timeout: Duration::from_secs(3),
            // Under 3 s, so a write blocked by a lock held elsewhere answers 503 within
            // 3 s (docs/reliability.md); our own writes hold the lock for milliseconds.
            busy_timeout: Duration::from_secs(2),
        }
    }
}

/// Every storage port on one SQLite file. Cheap to clone (the pool is shared).
#[derive(Clone)]
pub struct SqliteStore {
    pool: Pool<SqliteConn>,
    path: PathBuf,
    acquire_timeout: Duration,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("pool", &self.pool.status())
            .finish()
    }
}

impl SqliteStore {
    /// Creates the file's directory when missing and builds the pool; opens nothing yet.
    ///
    /// # Errors
    /// [`OpenError::InvalidUrl`], [`OpenError::CreateDir`] or [`OpenError::Pool`].
    pub fn build(url: &str, options: SqliteOptions) -> Result<Self, OpenError> {
        let path = database_path(url)?;
        let path_str = path
            .to_str()
            .ok_or_else(|| OpenError::InvalidUrl(format!("path is not UTF-8: {url:?}")))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| OpenError::CreateDir {
                path: dir.to_owned(),
                source,
            })?;
        }
        let mut config = ManagerConfig::<SqliteConn>::default();
        let pragmas = pragmas(&options);
        config.custom_setup = Box::new(move |url: &str| {
            let (url, pragmas) = (url.to_owned(), pragmas.clone());
            Box::pin(async move {
                let mut conn = SqliteConn::establish(&url).await?;
                conn.batch_execute(&pragmas)
                    .await
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(conn)
            })
        });
        // The checks "Verified" adds cost a statement per checkout; a local file does not
        // drop connections, and a broken transaction is still caught.
        config.recycling_method = RecyclingMethod::Fast;
        let manager = AsyncDieselConnectionManager::new_with_config(path_str, config);
        let pool = Pool::builder(manager)
            .max_size(options.max_connections.max(1))
            .build()
            .map_err(|e| OpenError::Pool(e.to_string()))?;
        Ok(Self {
            pool,
            path,
            acquire_timeout: options.acquire_timeout,
        })
    }

    /// [`build`](Self::build), then opens one connection, which creates the file.
    ///
    /// # Errors
    /// As `build`, and [`OpenError::Store`] when the file cannot be opened.
    pub async fn connect(url: &str, options: SqliteOptions) -> Result<Self, OpenError> {
        let store = Self::build(url, options)?;
        drop(store.conn().await?);
        tracing::info!(path = %store.path.display(), "sqlite store opened");
        Ok(store)
    }

    /// [`connect`](Self::connect), then [`migrate`](Self::migrate): what start-up wants.
    ///
    /// # Errors
    /// As `connect` and `migrate`.
    pub async fn connect_and_migrate(url: &str, options: SqliteOptions) -> Result<Self, OpenError> {
        let store = Self::connect(url, options).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the pending migrations of `migrations/sqlite`; returns their versions.
    ///
    /// # Errors
    /// [`OpenError::Store`] without a connection, [`OpenError::Migration`] when one fails.
    pub async fn migrate(&self) -> Result<Vec<String>, OpenError> {
        // Taken out of the pool: the harness owns it while it runs on a blocking thread.
        let conn = Object::take(self.conn().await?);
        let (_conn, applied) = latchkey_sql::migrate::run_pending(conn, MIGRATIONS).await?;
        if !applied.is_empty() {
            tracing::info!(?applied, "sqlite migrations applied");
        }
        Ok(applied)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A pooled connection, for the port implementations (and tests that need raw SQL).
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when none is free within the acquire timeout or the
    /// file cannot be opened.
    pub async fn conn(&self) -> Result<Object<SqliteConn>, StoreError> {
        match tokio::time::timeout(self.acquire_timeout, self.pool.get()).await {
            Ok(got) => got.map_err(map_pool_error),
            Err(_) => Err(StoreError::Unavailable(format!(
                "no database connection free within {:?}",
                self.acquire_timeout
            ))),
        }
    }
}

impl SqliteStore {
    /// No deadline on port bodies (`latchkey_sql::__bounded!`): a local file does not
    /// stop answering, `busy_timeout` bounds every wait for a lock, and a dropped query
    /// would hold its worker until the statement ended anyway (`WaitOnDrop`).
    pub(crate) fn query_timeout(&self) -> Option<Duration> {
        None
    }

    /// What `/api/ready` asks: can a write be committed now? `BEGIN IMMEDIATE` takes
    /// the write lock (waiting up to `busy_timeout`), then the header's `user_version`
    /// is written back unchanged: a one-page commit, the smallest real write there is.
    /// So a database that reads but cannot be written — another process holding the
    /// lock, a read-only file, a disk too full for the write-ahead log to grow — is not
    /// ready, and it is ready again as soon as writes fit. (A transaction that wrote
    /// nothing would commit even on a full disk: it appends nothing to the log.)
    pub(crate) async fn probe(conn: &mut SqliteConn) -> QueryResult<()> {
        conn.spawn_blocking(|conn| {
            conn.immediate_transaction(|conn| {
                let UserVersion { user_version } =
                    diesel::sql_query("PRAGMA user_version").get_result(conn)?;
                // An integer we just read: nothing from outside reaches this text.
                diesel::sql_query(format!("PRAGMA user_version = {user_version}")).execute(conn)?;
                Ok(())
            })
        })
        .await
    }
}

/// The database header's application-defined integer (Latchkey does not use it).
#[derive(diesel::QueryableByName)]
struct UserVersion {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    user_version: i32,
}

/// The per-connection set-up. `busy_timeout` comes first so that the journal-mode
/// switch itself waits for a concurrent opener instead of failing with SQLITE_BUSY.
fn pragmas(options: &SqliteOptions) -> String {
    // Checkpoints run in the background (`checkpoint.rs`); the automatic one is a backstop.
    format!(
        "PRAGMA busy_timeout = {};\
         PRAGMA journal_mode = WAL;\
         PRAGMA synchronous = NORMAL;\
         PRAGMA foreign_keys = ON;\
         PRAGMA wal_autocheckpoint = {};",
        options.busy_timeout.as_millis(),
        crate::AUTOCHECKPOINT_PAGES
    )
}
