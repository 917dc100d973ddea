#![doc = include_str!("../README.md")]

pub mod error;
pub mod login_audit;
pub mod security;
pub mod sessions;
pub mod settings;
pub mod users;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use error::StoreError;
pub use login_audit::{LoginAuditStore, NewLoginAudit, Page};
pub use security::{Clock, HashError, PasswordHash, PasswordHasher, RandomSource};
pub use sessions::{NewSession, SessionStore};
pub use settings::SettingsStore;
pub use users::{NewUser, UserCredentials, UserStore, UserUpdate};

/// Liveness of the store, for `/api/ready`.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait StoreHealth: Send + Sync + 'static {
    /// # Errors
    /// MUST return [`StoreError::Unavailable`] when the database cannot answer a trivial query.
    async fn ping(&self) -> Result<(), StoreError>;
}
