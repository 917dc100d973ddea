#![doc = include_str!("../README.md")]

mod checkpoint;
mod spawn;
mod store;
mod url;
mod write_ahead;

pub use checkpoint::{AUTOCHECKPOINT_PAGES, Checkpoint};
pub use latchkey_sql::OpenError;
pub use store::{MIGRATIONS, SqliteConn, SqliteOptions, SqliteStore};
pub use url::database_path;

latchkey_sql::impl_all_ports!(SqliteStore);
