//! `RingSecret`: passwords, 2FA codes and tokens, never printed.

use std::fmt;

use zeroize::Zeroize;

/// A Ring password, 2FA code, access token or refresh token.
///
/// `Debug` prints `RingSecret(<redacted>)`, there is no `Display`, and the memory is wiped on
/// drop. Read the value only where it goes on the wire, with [`RingSecret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct RingSecret(String);

impl RingSecret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True for an empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for RingSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RingSecret(<redacted>)")
    }
}

impl Drop for RingSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl From<String> for RingSecret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for RingSecret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = RingSecret::from("ey_very_secret");
        assert_eq!(format!("{secret:?}"), "RingSecret(<redacted>)");
        assert_eq!(secret.expose(), "ey_very_secret");
    }
}
