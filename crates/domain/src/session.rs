//! Login sessions: how long they live and when their last-seen time is worth writing.
//!
//! Defaults follow ASVS 4.0.3 §3.3.2 for L2: 30 minutes idle, 12 hours absolute.

use time::{Duration, OffsetDateTime};

use crate::user::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_timeout: Duration,
    pub absolute_lifetime: Duration,
    /// How stale `last_seen_at` may get before a request refreshes it. Writing on every
    /// request would turn each read into a write; the idle timeout is then honoured to
    /// within this interval.
    pub touch_interval: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::minutes(30),
            absolute_lifetime: Duration::hours(12),
            touch_interval: Duration::seconds(60),
        }
    }
}

/// A live server-side session. `id_hash` is the SHA-256 of the id the client holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub user_id: UserId,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionInvalid {
    #[error("session idle for too long")]
    Idle,
    #[error("session reached its absolute lifetime")]
    Expired,
}

impl SessionPolicy {
    pub fn expires_at(&self, created_at: OffsetDateTime) -> OffsetDateTime {
        created_at + self.absolute_lifetime
    }

    pub fn check(&self, session: &Session, now: OffsetDateTime) -> Result<(), SessionInvalid> {
        if now >= session.expires_at {
            return Err(SessionInvalid::Expired);
        }
        if now - session.last_seen_at >= self.idle_timeout {
            return Err(SessionInvalid::Idle);
        }
        Ok(())
    }

    pub fn needs_touch(&self, session: &Session, now: OffsetDateTime) -> bool {
        now - session.last_seen_at >= self.touch_interval
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-01-01 08:00 UTC);

    fn session(policy: &SessionPolicy) -> Session {
        Session {
            id_hash: "h".into(),
            user_id: UserId(1),
            created_at: T0,
            last_seen_at: T0,
            expires_at: policy.expires_at(T0),
        }
    }

    #[test]
    fn idle_timeout_is_exclusive_of_the_boundary() {
        let p = SessionPolicy::default();
        let s = session(&p);
        assert_eq!(
            p.check(&s, T0 + Duration::minutes(30) - Duration::seconds(1)),
            Ok(())
        );
        assert_eq!(p.check(&s, T0 + Duration::minutes(30)), Err(SessionInvalid::Idle));
    }

    #[test]
    fn absolute_lifetime_wins_over_activity() {
        let p = SessionPolicy::default();
        let mut s = session(&p);
        s.last_seen_at = T0 + Duration::hours(12) - Duration::seconds(1);
        assert_eq!(
            p.check(&s, T0 + Duration::hours(12) - Duration::milliseconds(1)),
            Ok(())
        );
        assert_eq!(
            p.check(&s, T0 + Duration::hours(12)),
            Err(SessionInvalid::Expired)
        );
    }

    #[test]
    fn touch_only_when_stale() {
        let p = SessionPolicy::default();
        let s = session(&p);
        assert!(!p.needs_touch(&s, T0 + Duration::seconds(59)));
        assert!(p.needs_touch(&s, T0 + Duration::seconds(60)));
    }
}
