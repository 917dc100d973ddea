//! A string the simulator must never print: account passwords and 2FA codes from the config.

use std::fmt;

use serde::Deserialize;

/// A configured secret (password or 2FA code). `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct SimSecret(String);

impl SimSecret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value, for comparison with what a client sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SimSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SimSecret(<redacted>)")
    }
}

impl From<&str> for SimSecret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for SimSecret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = SimSecret::from("hunter2");
        assert!(!format!("{secret:?}").contains("hunter2"));
    }
}
