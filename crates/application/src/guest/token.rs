//! The secret a guest holds. Never stored in clear: links are found by its SHA-256,
//! and the owner's copy is sealed by the secret box.

use std::fmt;

use latchkey_domain::UserId;
use sha2::{Digest, Sha256};

/// 32 random bytes, base64url without padding. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct GuestToken(String);

/// The length of every token we hand out.
const TOKEN_CHARS: usize = 43;

impl GuestToken {
    pub fn new(raw: impl Into<String>) -> Self {
        Self(raw.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether this could be one of our tokens at all. Anything else is answered "not
    /// found" without a database lookup; the answer is the same, so nothing leaks.
    pub fn is_well_formed(&self) -> bool {
        self.0.len() == TOKEN_CHARS
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }

    /// The form links are stored and looked up by.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for GuestToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GuestToken(<redacted>)")
    }
}

/// Binds a sealed token to its owner, so a value copied onto another user's row does
/// not open.
pub(crate) fn seal_context(owner: UserId) -> Vec<u8> {
    format!("latchkey guest link token|{}", owner.0).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_and_hash() {
        let t = GuestToken::new("A".repeat(43));
        assert!(t.is_well_formed());
        assert_eq!(t.hash().len(), 64);
        assert!(!GuestToken::new("A".repeat(42)).is_well_formed());
        assert!(!GuestToken::new(format!("{}=", "A".repeat(42))).is_well_formed());
        assert!(!GuestToken::new("é".repeat(22)).is_well_formed());
        assert_eq!(format!("{t:?}"), "GuestToken(<redacted>)");
    }
}
