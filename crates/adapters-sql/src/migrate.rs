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
    let task = tokio::task::spawn_blocking(move || {
        let mut harness = AsyncMigrationHarness::new(conn);
        let applied = harness
            .run_pending_migrations(migrations)
            .map_err(|e| OpenError::Migration(e.to_string()))?
            .into_iter()
            .map(|version| version.to_string())
            .collect();
        Ok((harness.into_inner(), applied))
    });
    task.await
        .map_err(|e| OpenError::Migration(format!("migration task failed: {e}")))?
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
    let task = tokio::task::spawn_blocking(move || {
        let mut harness = AsyncMigrationHarness::new(conn);
        let reverted = harness
            .revert_all_migrations(migrations)
            .map_err(|e| OpenError::Migration(e.to_string()))?
            .into_iter()
            .map(|version| version.to_string())
            .collect();
        Ok((harness.into_inner(), reverted))
    });
    task.await
        .map_err(|e| OpenError::Migration(format!("migration task failed: {e}")))?
}
