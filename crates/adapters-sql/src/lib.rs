#![doc = include_str!("../README.md")]

pub mod cached;
pub mod deadline;
pub mod error;
pub mod impls;
pub mod migrate;
pub mod model;
pub mod open;
pub mod schema;
pub mod timestamps;

pub use error::{map_diesel_error, map_pool_error};
pub use open::OpenError;

/// What the port macros need at their expansion site, so the store crates do not have
/// to import it themselves. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use async_trait::async_trait;
    pub use diesel;
    pub use diesel_async;
    pub use latchkey_domain as domain;
    pub use latchkey_ports as ports;
    pub use time;
}
