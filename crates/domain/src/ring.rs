//! Linked Ring accounts and their intercoms, as the rest of the system sees them.

use std::fmt;

use time::{Duration, OffsetDateTime};

use crate::text::has_forbidden_chars;
use crate::user::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RingAccountId(pub i64);

impl fmt::Display for RingAccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Ring's id of an intercom device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IntercomId(pub i64);

impl fmt::Display for IntercomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountLabelError {
    #[error("label must be between 1 and {max} characters")]
    Length { max: usize },
    #[error("label must not contain control or direction-override characters")]
    ForbiddenCharacters,
}

/// The name a resident gives a linked Ring account ("Home", "Office").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLabel(String);

impl AccountLabel {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, AccountLabelError> {
        let trimmed = raw.trim();
        let len = trimmed.chars().count();
        if len == 0 || len > Self::MAX {
            return Err(AccountLabelError::Length { max: Self::MAX });
        }
        if has_forbidden_chars(trimmed) {
            return Err(AccountLabelError::ForbiddenCharacters);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether Latchkey can act for a linked account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RingLinkStatus {
    /// Created, no refresh token stored yet.
    Unlinked,
    /// A refresh token is stored and was last seen working.
    Linked,
    /// Ring refused the stored token (`invalid_grant`): the resident must log in again.
    NeedsRelink,
}

impl RingLinkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RingLinkStatus::Unlinked => "unlinked",
            RingLinkStatus::Linked => "linked",
            RingLinkStatus::NeedsRelink => "needs_relink",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Unlinked, Self::Linked, Self::NeedsRelink]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RingAccount {
    pub id: RingAccountId,
    pub user_id: UserId,
    pub label: AccountLabel,
    pub is_default: bool,
    /// Stable per linked account and sent on every Ring call (Ring ties sessions to it).
    pub hardware_id: String,
    pub status: RingLinkStatus,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// Limits on Ring's two-factor flow (Ring allows about 10 codes per 10 minutes; we ask
/// for fewer so a resident never trips Ring's own block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingAuthPolicy {
    pub attempt_lifetime: Duration,
    pub max_code_requests: u32,
    pub code_request_window: Duration,
}

impl Default for RingAuthPolicy {
    fn default() -> Self {
        Self {
            attempt_lifetime: Duration::minutes(10),
            max_code_requests: 3,
            code_request_window: Duration::minutes(10),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_trimmed_bounded_and_clean() {
        assert_eq!(AccountLabel::parse("  Home ").unwrap().as_str(), "Home");
        assert!(AccountLabel::parse("   ").is_err());
        assert!(AccountLabel::parse(&"x".repeat(100)).is_ok());
        assert!(AccountLabel::parse(&"x".repeat(101)).is_err());
        assert_eq!(
            AccountLabel::parse("a\nb"),
            Err(AccountLabelError::ForbiddenCharacters)
        );
    }

    #[test]
    fn link_status_round_trips() {
        for s in [
            RingLinkStatus::Unlinked,
            RingLinkStatus::Linked,
            RingLinkStatus::NeedsRelink,
        ] {
            assert_eq!(RingLinkStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(RingLinkStatus::parse("LINKED"), None);
    }
}
