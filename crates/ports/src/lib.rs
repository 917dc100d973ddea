#![doc = include_str!("../README.md")]

pub mod device_health;
pub mod error;
pub mod guest_links;
pub mod intercom;
pub mod login_audit;
pub mod ring_accounts;
pub mod ring_auth;
pub mod secret_box;
pub mod security;
pub mod sessions;
pub mod settings;
pub mod unlock_audit;
pub mod users;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use device_health::{DeviceHealthStore, HealthSnapshot};
pub use error::StoreError;
pub use guest_links::{
    GuestAttempt, GuestLinkStore, GuestTemplateStore, LinkSlice, NewGuestLink, NewGuestTemplate,
    OwnedGuestLink, PendingUnlock, Reservation,
};
pub use intercom::{
    GatewayError, IntercomGateway, IntercomHealth, IntercomInfo, RingLocationInfo, RingTokenVault,
    UnlockFailure,
};
pub use login_audit::{LoginAuditStore, NewLoginAudit, Page};
pub use ring_accounts::{NewRingAccount, RingAccountStore};
pub use ring_auth::{NewRingAuthAttempt, RingAuthAttempt, RingAuthAttemptStore};
pub use secret_box::{Secret, SecretBox, SecretBoxError};
pub use security::{Clock, HashError, PasswordHash, PasswordHasher, RandomSource};
pub use sessions::{NewSession, SessionStore};
pub use settings::SettingsStore;
pub use unlock_audit::{NewUnlockEvent, UnlockAuditStore};
pub use users::{NewUser, UserCredentials, UserStore, UserUpdate};

/// Liveness of the store, for `/api/ready`.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait StoreHealth: Send + Sync + 'static {
    /// # Errors
    /// MUST return [`StoreError::Unavailable`] when the database cannot answer a trivial
    /// query in time, or cannot take a write now (a store whose writes can be blocked
    /// while reads go on, like SQLite under another process's write lock, checks that).
    async fn ping(&self) -> Result<(), StoreError>;
}
