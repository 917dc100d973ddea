//! Running embedded migrations through diesel-async.
//!
//! `AsyncMigrationHarness` drives diesel's synchronous migration code with
//! `block_in_place`, which panics on a current-thread runtime (the default of
//! `#[tokio::test]`). Running the whole harness on a blocking thread works on both
//! runtime flavours: there it simply blocks on each query.

use diesel::backend::Backend;
use diesel::migration::MigrationSource;
use diesel_async::{AsyncConnection, AsyncMigrationHarness};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};

use crate::OpenError;

/// Applies every pending migration on `conn`; returns the connection and the versions
/// applied, oldest first. Each migration runs in its own transaction.
///
/// # Errors
/// [`OpenError::Migration`] when a migration fails or the task running them dies.
pub async fn run_pending<C, B>(conn: C, migrations: EmbeddedMigrations) -> Result<(C, Vec<String>), OpenError>
where
    B: Backend,
    C: AsyncConnection<Backend = B> + Send + 'static,
    AsyncMigrationHarness<C>: MigrationHarness<B>,
    EmbeddedMigrations: MigrationSource<B>,
{
    with_harness(conn, move |h| {
        h.run_pending_migrations(migrations)
            .map(|v| v.iter().map(ToString::to_string).collect())
    })
    .await
}

/// Reverts every applied migration on `conn`, newest first (tests of `down.sql`).
///
/// # Errors
/// [`OpenError::Migration`] when a `down.sql` fails or the task running them dies.
pub async fn revert_all<C, B>(conn: C, migrations: EmbeddedMigrations) -> Result<(C, Vec<String>), OpenError>
where
    B: Backend,
    C: AsyncConnection<Backend = B> + Send + 'static,
    AsyncMigrationHarness<C>: MigrationHarness<B>,
    EmbeddedMigrations: MigrationSource<B>,
{
    with_harness(conn, move |h| {
        h.revert_all_migrations(migrations)
            .map(|v| v.iter().map(ToString::to_string).collect())
    })
    .await
}

/// Reverts the newest applied migration on `conn` (tests of upgrades with data).
///
/// # Errors
/// [`OpenError::Migration`] when its `down.sql` fails or the task running it dies.
pub async fn revert_last<C, B>(conn: C, migrations: EmbeddedMigrations) -> Result<(C, Vec<String>), OpenError>
where
    B: Backend,
    C: AsyncConnection<Backend = B> + Send + 'static,
    AsyncMigrationHarness<C>: MigrationHarness<B>,
    EmbeddedMigrations: MigrationSource<B>,
{
    with_harness(conn, move |h| {
        h.revert_last_migration(migrations).map(|v| vec![v.to_string()])
    })
    .await
}

/// Runs `f` with a migration harness on a blocking thread (the harness blocks), and
/// hands the connection back.
async fn with_harness<C, B, F>(conn: C, f: F) -> Result<(C, Vec<String>), OpenError>
where
    B: Backend,
    C: AsyncConnection<Backend = B> + Send + 'static,
    AsyncMigrationHarness<C>: MigrationHarness<B>,
    F: FnOnce(&mut AsyncMigrationHarness<C>) -> diesel::migration::Result<Vec<String>> + Send + 'static,
{
    let task = tokio::task::spawn_blocking(move || {
        let mut harness = AsyncMigrationHarness::new(conn);
        let versions = f(&mut harness).map_err(|e| OpenError::Migration(e.to_string()))?;
        Ok((harness.into_inner(), versions))
    });
    task.await
        .map_err(|e| OpenError::Migration(format!("migration task failed: {e}")))?
}
