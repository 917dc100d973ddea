//! The unlock audit trail: one event per attempt to open a door, whatever its outcome.

use time::OffsetDateTime;

use crate::ring::{IntercomId, RingAccountId};
use crate::user::UserId;

/// Who asked for the door to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnlockActor {
    /// A logged-in resident or admin.
    User(UserId),
    /// Someone holding a guest link: its id, never its token; `None` when the token
    /// matched no link or the attempt was rate-limited before any lookup.
    Guest { link_id: Option<i64> },
}

impl UnlockActor {
    pub fn kind(&self) -> &'static str {
        match self {
            UnlockActor::User(_) => "user",
            UnlockActor::Guest { .. } => "guest",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnlockOutcome {
    /// Ring confirmed the door opened.
    Opened,
    /// Refused or failed before or at Ring; the door did not open.
    Failed,
    /// The request reached Ring but no answer came back: the door may have opened. Also a
    /// guest attempt's row while Ring is asked, and for good if it is never settled.
    Unknown,
}

impl UnlockOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            UnlockOutcome::Opened => "opened",
            UnlockOutcome::Failed => "failed",
            UnlockOutcome::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Opened, Self::Failed, Self::Unknown]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlockEvent {
    pub id: i64,
    pub occurred_at: OffsetDateTime,
    pub actor: UnlockActor,
    /// The user the door belongs to (the resident whose Ring account was used), if known.
    pub owner_id: Option<UserId>,
    pub ring_account_id: Option<RingAccountId>,
    pub intercom_id: Option<IntercomId>,
    pub outcome: UnlockOutcome,
    /// Stable error code when not opened (e.g. `ring_timeout`).
    pub error_code: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_and_actor_names() {
        for o in [
            UnlockOutcome::Opened,
            UnlockOutcome::Failed,
            UnlockOutcome::Unknown,
        ] {
            assert_eq!(UnlockOutcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(UnlockActor::User(UserId(1)).kind(), "user");
        assert_eq!(UnlockActor::Guest { link_id: Some(3) }.kind(), "guest");
    }
}
