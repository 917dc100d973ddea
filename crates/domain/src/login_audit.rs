//! What the login audit remembers about every attempt.

use time::OffsetDateTime;

use crate::user::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    Success,
    MissingCredentials,
    InvalidCredentials,
    Disabled,
    Locked,
    RateLimited,
}

impl LoginOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            LoginOutcome::Success => "success",
            LoginOutcome::MissingCredentials => "missing_credentials",
            LoginOutcome::InvalidCredentials => "invalid_credentials",
            LoginOutcome::Disabled => "disabled",
            LoginOutcome::Locked => "locked",
            LoginOutcome::RateLimited => "rate_limited",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Success,
            Self::MissingCredentials,
            Self::InvalidCredentials,
            Self::Disabled,
            Self::Locked,
            Self::RateLimited,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// One login attempt. `username` is as typed (bounded in length by the caller), never the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginAuditEvent {
    pub id: i64,
    pub occurred_at: OffsetDateTime,
    pub username: String,
    pub user_id: Option<UserId>,
    pub outcome: LoginOutcome,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip() {
        for o in [
            LoginOutcome::Success,
            LoginOutcome::MissingCredentials,
            LoginOutcome::InvalidCredentials,
            LoginOutcome::Disabled,
            LoginOutcome::Locked,
            LoginOutcome::RateLimited,
        ] {
            assert_eq!(LoginOutcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(LoginOutcome::parse("nope"), None);
    }
}
