//! Why a store could not be opened (connect, pool, migrations) — start-up errors.

use std::path::PathBuf;

use latchkey_ports::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The URL names no database this store can open; carries why.
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    /// The directory for a SQLite file does not exist and could not be made.
    #[error("cannot create database directory {path}: {source}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The database did not answer (or refused us) while opening.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Building the connection pool failed (bad options).
    #[error("cannot build the connection pool: {0}")]
    Pool(String),
    /// A migration failed; the database is left at the last one that succeeded.
    #[error("migration failed: {0}")]
    Migration(String),
}
