//! The password policy: long enough, not absurdly long, not one of the commonest.
//!
//! No composition rules (ASVS 6.2.5) and the password is checked exactly as received:
//! no trimming, no case folding (ASVS 6.2.8).

use std::fmt;

/// A password as typed. Its `Debug` never shows the value, so it cannot leak into a log.
#[derive(Clone, PartialEq, Eq)]
pub struct PlainPassword(String);

impl PlainPassword {
    pub fn new(raw: impl Into<String>) -> Self {
        Self(raw.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for PlainPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainPassword(<redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be at least {min} characters")]
    TooShort { min: usize },
    #[error("password must be at most {max} characters")]
    TooLong { max: usize },
    #[error("password is too common or too easy to guess; choose a longer or less predictable one")]
    TooCommon,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_chars: usize,
    pub max_chars: usize,
    /// zxcvbn score (0..=4) a password must reach; 3 refuses dictionary words, keyboard
    /// walks, repeats and the commonest passwords with their usual decorations.
    pub min_strength: u8,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_chars: 12,
            max_chars: 256,
            min_strength: 3,
        }
    }
}

impl PasswordPolicy {
    /// Checks a new password. `context` holds words the user is known by (username,
    /// names) so that "ada.lovelace2024" is refused for Ada.
    pub fn check(&self, candidate: &PlainPassword, context: &[&str]) -> Result<(), PasswordError> {
        let chars = candidate.0.chars().count();
        if chars < self.min_chars {
            return Err(PasswordError::TooShort { min: self.min_chars });
        }
        if chars > self.max_chars {
            return Err(PasswordError::TooLong { max: self.max_chars });
        }
        let score = u8::from(zxcvbn::zxcvbn(&candidate.0, context).score());
        if score < self.min_strength {
            return Err(PasswordError::TooCommon);
        }
        Ok(())
    }

    /// Upper bound in bytes for anything handed to the hasher, new or old password:
    /// longer inputs are refused before hashing so they cannot be used to burn CPU.
    pub fn max_input_bytes(&self) -> usize {
        self.max_chars * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: &str) -> Result<(), PasswordError> {
        PasswordPolicy::default().check(&PlainPassword::new(p), &["ada"])
    }

    #[test]
    fn length_bounds_are_inclusive() {
        assert_eq!(check("Tq8#vLm2@pZ"), Err(PasswordError::TooShort { min: 12 }));
        assert_eq!(check("Tq8#vLm2@pZw"), Ok(()));
        let long = "correct horse battery staple ".repeat(9); // 261 chars
        assert_eq!(check(&long[..256]), Ok(()));
        assert_eq!(check(&long[..257]), Err(PasswordError::TooLong { max: 256 }));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // 12 characters, 24 bytes: allowed; 11 characters: refused.
        assert_eq!(check("ñøßçæåðþµ¢£¥"), Ok(()));
        assert!(check("ñøßçæåðþµ¢£").is_err());
    }

    #[test]
    fn commonest_passwords_are_refused() {
        for p in [
            "Password123!",
            "password1234",
            "qwertyuiop123",
            "aaaaaaaaaaaa",
            "123456789012",
            "iloveyou1234",
        ] {
            assert_eq!(check(p), Err(PasswordError::TooCommon), "{p}");
        }
    }

    #[test]
    fn the_users_own_name_does_not_make_a_password() {
        assert_eq!(check("ada.ada.ada.ada"), Err(PasswordError::TooCommon));
    }

    #[test]
    fn passphrases_pass_without_composition_rules() {
        assert_eq!(check("tangerine otter lamp parade"), Ok(()));
        assert_eq!(check("brisk-walnut-harbor-71"), Ok(()));
    }

    #[test]
    fn checked_exactly_as_received() {
        // Leading/trailing spaces count toward the length: not trimmed.
        assert_eq!(check("  Tq8#vLm2@p"), Ok(()));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let p = PlainPassword::new("hunter2-hunter2");
        assert!(!format!("{p:?}").contains("hunter2"));
    }
}
