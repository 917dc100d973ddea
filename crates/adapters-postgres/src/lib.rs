#![doc = include_str!("../README.md")]

mod store;
#[cfg(feature = "test-support")]
pub mod testing;
mod write_ahead;

pub use latchkey_sql::OpenError;
pub use store::{MIGRATIONS, PgOptions, PgStore, is_postgres_url};

latchkey_sql::impl_all_ports!(PgStore);
