//! Encryption of secrets kept at rest (Ring tokens, pending Ring credentials).

use std::fmt;

/// A secret string (token, password, code). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretBoxError {
    /// Wrong key, tampered ciphertext, or additional data that does not match (a row
    /// copied to another owner): the secret cannot be recovered.
    #[error("sealed secret cannot be opened")]
    Undecryptable,
    #[error("sealing failed: {0}")]
    Failed(String),
}

/// Authenticated encryption with additional data binding a ciphertext to its owner.
#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait SecretBox: Send + Sync + 'static {
    /// # Errors
    /// [`SecretBoxError::Failed`] only if the random nonce cannot be drawn.
    fn seal(&self, plaintext: &[u8], associated_data: &[u8]) -> Result<Vec<u8>, SecretBoxError>;

    /// # Errors
    /// MUST return [`SecretBoxError::Undecryptable`] for any ciphertext not sealed by
    /// this key with exactly this associated data.
    fn open(&self, sealed: &[u8], associated_data: &[u8]) -> Result<Vec<u8>, SecretBoxError>;
}
