//! Where rotated refresh tokens go before they are used.

use async_trait::async_trait;

use crate::secret::RingSecret;

/// Storing a refresh token failed. The message must not contain the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PersistError {
    message: String,
}

impl PersistError {
    /// A failure described without secrets.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// Durable storage for an account's newest refresh token.
///
/// Ring may make refresh tokens single-use, so a rotated token that is lost (a crash after
/// using it but before storing it) loses the link. [`crate::RingAccountSession`] therefore
/// calls `persist` after every refresh that returned a different refresh token and *before*
/// the new access token is used; if `persist` fails, the new tokens are held back and the call
/// fails with [`crate::RingError::PersistFailed`].
///
/// # Errors
/// Implementations MUST return `Err` unless the token is durably stored (e.g. encrypted and
/// committed), replacing the previous one atomically.
#[async_trait]
pub trait RefreshTokenSink: Send + Sync {
    /// Durably stores `new_refresh_token` as the account's current refresh token.
    async fn persist(&self, new_refresh_token: &RingSecret) -> Result<(), PersistError>;
}
