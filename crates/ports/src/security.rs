//! Hashing, time and randomness: behind traits so use cases can be tested deterministically.

use std::fmt;

use latchkey_domain::PlainPassword;
use time::OffsetDateTime;

/// A PHC-format password hash (`$argon2id$v=19$m=...`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    /// The stored hash cannot be parsed (corrupt row).
    #[error("stored password hash is malformed")]
    Malformed,
    /// Too many hashes are already waiting: try again shortly (503).
    #[error("password hashing is saturated")]
    Busy,
    /// The hashing pool is shutting down or failed.
    #[error("password hashing failed: {0}")]
    Failed(String),
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait PasswordHasher: Send + Sync + 'static {
    /// Hashes with the configured parameters, off the async executor.
    async fn hash(&self, password: &PlainPassword) -> Result<PasswordHash, HashError>;

    /// Verifies in constant time; `Ok(false)` for a wrong password.
    async fn verify(&self, password: &PlainPassword, hash: &PasswordHash) -> Result<bool, HashError>;

    /// Spends the same work as one [`verify`](Self::verify) against a fixed hash, for
    /// unknown usernames, so timing does not reveal which usernames exist.
    async fn verify_dummy(&self, password: &PlainPassword);
}

#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> OffsetDateTime;
}

#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait RandomSource: Send + Sync + 'static {
    /// 32 bytes from the OS CSPRNG, base64url without padding (43 characters).
    fn token(&self) -> String;

    /// A temporary password that passes the password policy, shown to an admin once.
    fn temporary_password(&self) -> PlainPassword;
}
