//! Account lockout after consecutive failed logins.
//!
//! The counter belongs to the account, not the client IP (OWASP Authentication cheat
//! sheet), and the lock ends by itself so an attacker can deny access for at most
//! `lock_duration` at a time; an admin can clear it at once.

use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub max_failures: u32,
    pub lock_duration: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            lock_duration: Duration::minutes(15),
        }
    }
}

/// The lockout bookkeeping stored with each user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LockState {
    pub failed_logins: u32,
    pub locked_until: Option<OffsetDateTime>,
}

impl LockState {
    /// When the account is locked at `now`, the moment the lock ends.
    pub fn locked_until(&self, now: OffsetDateTime) -> Option<OffsetDateTime> {
        self.locked_until.filter(|until| *until > now)
    }

    pub fn is_locked(&self, now: OffsetDateTime) -> bool {
        self.locked_until(now).is_some()
    }
}

impl LockoutPolicy {
    /// The state after one more failed attempt at `now`. A lock that has run out starts
    /// a fresh count, so an expired lock does not re-lock on the very next mistake.
    pub fn after_failure(&self, state: LockState, now: OffsetDateTime) -> LockState {
        let expired = state.locked_until.is_some_and(|until| until <= now);
        let failed = if expired {
            1
        } else {
            state.failed_logins.saturating_add(1)
        };
        let locked_until = if failed >= self.max_failures {
            Some(now + self.lock_duration)
        } else if expired {
            None
        } else {
            state.locked_until
        };
        LockState {
            failed_logins: failed,
            locked_until,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-01-01 12:00 UTC);

    #[test]
    fn locks_exactly_at_the_fifth_failure() {
        let p = LockoutPolicy::default();
        let mut s = LockState::default();
        for i in 1..=4 {
            s = p.after_failure(s, T0);
            assert_eq!(s.failed_logins, i);
            assert!(!s.is_locked(T0), "locked after {i}");
        }
        s = p.after_failure(s, T0);
        assert_eq!(s.locked_until(T0), Some(T0 + Duration::minutes(15)));
    }

    #[test]
    fn lock_ends_by_itself() {
        let p = LockoutPolicy::default();
        let s = LockState {
            failed_logins: 5,
            locked_until: Some(T0 + Duration::minutes(15)),
        };
        assert!(s.is_locked(T0 + Duration::minutes(15) - Duration::seconds(1)));
        assert!(!s.is_locked(T0 + Duration::minutes(15)));
        // After expiry a failure starts a new count instead of re-locking.
        let after = p.after_failure(s, T0 + Duration::minutes(16));
        assert_eq!(
            after,
            LockState {
                failed_logins: 1,
                locked_until: None
            }
        );
    }

    #[test]
    fn failures_while_locked_extend_the_lock() {
        let p = LockoutPolicy::default();
        let s = LockState {
            failed_logins: 5,
            locked_until: Some(T0 + Duration::minutes(15)),
        };
        let later = T0 + Duration::minutes(5);
        let after = p.after_failure(s, later);
        assert_eq!(after.locked_until, Some(later + Duration::minutes(15)));
    }
}
