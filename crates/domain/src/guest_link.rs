//! Guest links: a door that opens only inside a time window and a limited number of
//! times. The rules here are the single source of truth for a link's state; the store's
//! conditional update (reserve one use) enforces the same conditions atomically.

use time::{Duration, OffsetDateTime};

use crate::ring::{IntercomId, RingAccountId};
use crate::text::has_forbidden_chars;
use crate::user::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GuestLinkId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestLinkState {
    /// Before `starts_at`.
    Pending,
    Active,
    /// At or after `expires_at`.
    Expired,
    /// `uses == max_uses`.
    UsedUp,
    Disabled,
}

impl GuestLinkState {
    pub fn as_str(self) -> &'static str {
        match self {
            GuestLinkState::Pending => "pending",
            GuestLinkState::Active => "active",
            GuestLinkState::Expired => "expired",
            GuestLinkState::UsedUp => "used_up",
            GuestLinkState::Disabled => "disabled",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GuestLinkError {
    #[error("expiresAt must be after startsAt")]
    EmptyWindow,
    #[error("the window may last at most {max_days} days")]
    WindowTooLong { max_days: i64 },
    #[error("maxUses must be from 1 to {max} (or absent for unlimited)")]
    MaxUses { max: u32 },
    #[error("durationHours must be from 1 to {max}")]
    Duration { max: i64 },
    #[error("the new expiry must be in the future")]
    ExpiryInPast,
    #[error("a disabled link cannot be extended")]
    Disabled,
    #[error("a used-up link cannot be extended")]
    UsedUp,
}

/// Why an unlock through a link is refused, before any door is touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GuestUnlockRefusal {
    #[error("this link is not active yet")]
    NotYetActive,
    #[error("this link has expired")]
    Expired,
    #[error("this link has been used up")]
    UsedUp,
    #[error("this link has been disabled")]
    Disabled,
}

impl GuestUnlockRefusal {
    /// The stable code clients and audit rows carry.
    pub fn code(self) -> &'static str {
        match self {
            GuestUnlockRefusal::NotYetActive => "link_not_active",
            GuestUnlockRefusal::Expired => "link_expired",
            GuestUnlockRefusal::UsedUp => "link_used_up",
            GuestUnlockRefusal::Disabled => "link_disabled",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuestLinkPolicy {
    pub max_window: Duration,
}

impl Default for GuestLinkPolicy {
    fn default() -> Self {
        Self {
            max_window: Duration::days(90),
        }
    }
}

pub const MAX_USES_LIMIT: u32 = 1000;
pub const MAX_TEMPLATE_HOURS: i64 = 2160;

/// `None` is unlimited; otherwise 1..=1000.
pub fn parse_max_uses(raw: Option<i64>) -> Result<Option<u32>, GuestLinkError> {
    match raw {
        None => Ok(None),
        Some(n) => u32::try_from(n)
            .ok()
            .filter(|n| (1..=MAX_USES_LIMIT).contains(n))
            .map(Some)
            .ok_or(GuestLinkError::MaxUses { max: MAX_USES_LIMIT }),
    }
}

impl GuestLinkPolicy {
    /// Checks a window `[starts_at, expires_at)`.
    pub fn check_window(
        &self,
        starts_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), GuestLinkError> {
        if expires_at <= starts_at {
            return Err(GuestLinkError::EmptyWindow);
        }
        if expires_at - starts_at > self.max_window {
            return Err(GuestLinkError::WindowTooLong {
                max_days: self.max_window.whole_days(),
            });
        }
        Ok(())
    }
}

/// An optional free-text label shown to the guest.
pub fn parse_label(raw: Option<&str>, max: usize) -> Result<Option<String>, &'static str> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if raw.chars().count() > max {
        return Err("too long");
    }
    if has_forbidden_chars(raw) {
        return Err("must not contain control or direction-override characters");
    }
    Ok(Some(raw.to_owned()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestLink {
    pub id: GuestLinkId,
    pub owner_id: UserId,
    pub ring_account_id: RingAccountId,
    pub intercom_id: IntercomId,
    pub label: Option<String>,
    pub starts_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub max_uses: Option<u32>,
    pub uses: u32,
    pub disabled: bool,
    pub created_at: OffsetDateTime,
}

impl GuestLink {
    /// Disabled wins over used up, which wins over the time window.
    pub fn state(&self, now: OffsetDateTime) -> GuestLinkState {
        if self.disabled {
            GuestLinkState::Disabled
        } else if self.max_uses.is_some_and(|max| self.uses >= max) {
            GuestLinkState::UsedUp
        } else if now >= self.expires_at {
            GuestLinkState::Expired
        } else if now < self.starts_at {
            GuestLinkState::Pending
        } else {
            GuestLinkState::Active
        }
    }

    pub fn remaining_uses(&self) -> Option<u32> {
        self.max_uses.map(|max| max.saturating_sub(self.uses))
    }

    /// Whether a guest may try to open the door now (the store re-checks atomically).
    pub fn check_unlock(&self, now: OffsetDateTime) -> Result<(), GuestUnlockRefusal> {
        match self.state(now) {
            GuestLinkState::Active => Ok(()),
            GuestLinkState::Pending => Err(GuestUnlockRefusal::NotYetActive),
            GuestLinkState::Expired => Err(GuestUnlockRefusal::Expired),
            GuestLinkState::UsedUp => Err(GuestUnlockRefusal::UsedUp),
            GuestLinkState::Disabled => Err(GuestUnlockRefusal::Disabled),
        }
    }

    /// Moves the expiry. An expired link revives only with a future expiry; disabled
    /// and used-up links cannot be extended.
    pub fn check_new_expiry(
        &self,
        policy: &GuestLinkPolicy,
        new_expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<(), GuestLinkError> {
        match self.state(now) {
            GuestLinkState::Disabled => return Err(GuestLinkError::Disabled),
            GuestLinkState::UsedUp => return Err(GuestLinkError::UsedUp),
            _ => {}
        }
        if new_expires_at <= now {
            return Err(GuestLinkError::ExpiryInPast);
        }
        policy.check_window(self.starts_at, new_expires_at)
    }
}

/// A reusable recipe for links: a duration and an optional use limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestLinkTemplate {
    pub id: i64,
    pub owner_id: UserId,
    pub name: String,
    pub duration_hours: i64,
    pub max_uses: Option<u32>,
    pub created_at: OffsetDateTime,
}

pub fn check_duration_hours(hours: i64) -> Result<i64, GuestLinkError> {
    if (1..=MAX_TEMPLATE_HOURS).contains(&hours) {
        Ok(hours)
    } else {
        Err(GuestLinkError::Duration {
            max: MAX_TEMPLATE_HOURS,
        })
    }
}

impl GuestLinkTemplate {
    /// The window and use limit of a link made from this template at `starts_at`; the
    /// window ends at the latest representable instant rather than past it.
    pub fn expand(&self, starts_at: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime, Option<u32>) {
        (
            starts_at,
            starts_at.saturating_add(Duration::hours(self.duration_hours)),
            self.max_uses,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const START: OffsetDateTime = datetime!(2026-02-24 12:00 UTC);
    const END: OffsetDateTime = datetime!(2026-02-24 18:00 UTC);

    fn link(max_uses: Option<u32>, uses: u32) -> GuestLink {
        GuestLink {
            id: GuestLinkId(1),
            owner_id: UserId(1),
            ring_account_id: RingAccountId(1),
            intercom_id: IntercomId(1),
            label: None,
            starts_at: START,
            expires_at: END,
            max_uses,
            uses,
            disabled: false,
            created_at: START,
        }
    }

    #[test]
    fn window_boundaries_are_start_inclusive_end_exclusive() {
        let l = link(None, 0);
        let ms = Duration::milliseconds(1);
        assert_eq!(l.state(START - ms), GuestLinkState::Pending);
        assert_eq!(l.state(START), GuestLinkState::Active);
        assert_eq!(l.state(END - ms), GuestLinkState::Active);
        assert_eq!(l.state(END), GuestLinkState::Expired);
        assert_eq!(l.check_unlock(START - ms), Err(GuestUnlockRefusal::NotYetActive));
        assert_eq!(l.check_unlock(END), Err(GuestUnlockRefusal::Expired));
    }

    #[test]
    fn use_limits_one_many_and_unlimited() {
        assert_eq!(link(Some(1), 0).state(START), GuestLinkState::Active);
        assert_eq!(link(Some(1), 1).state(START), GuestLinkState::UsedUp);
        assert_eq!(link(Some(5), 4).remaining_uses(), Some(1));
        assert_eq!(link(None, 10_000).state(START), GuestLinkState::Active);
        assert_eq!(link(None, 3).remaining_uses(), None);
        assert_eq!(
            link(Some(1), 1).check_unlock(START),
            Err(GuestUnlockRefusal::UsedUp)
        );
    }

    #[test]
    fn disabled_wins_over_everything() {
        let mut l = link(Some(1), 1);
        l.disabled = true;
        assert_eq!(l.state(END), GuestLinkState::Disabled);
        assert_eq!(l.check_unlock(START), Err(GuestUnlockRefusal::Disabled));
    }

    #[test]
    fn max_uses_bounds() {
        assert_eq!(parse_max_uses(None), Ok(None));
        assert_eq!(parse_max_uses(Some(1)), Ok(Some(1)));
        assert_eq!(parse_max_uses(Some(1000)), Ok(Some(1000)));
        for bad in [0, -1, 1001, i64::MAX] {
            assert!(parse_max_uses(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn windows_must_be_non_empty_and_at_most_90_days() {
        let p = GuestLinkPolicy::default();
        assert_eq!(p.check_window(START, START), Err(GuestLinkError::EmptyWindow));
        assert_eq!(p.check_window(END, START), Err(GuestLinkError::EmptyWindow));
        assert!(p.check_window(START, START + Duration::days(90)).is_ok());
        assert_eq!(
            p.check_window(START, START + Duration::days(90) + Duration::seconds(1)),
            Err(GuestLinkError::WindowTooLong { max_days: 90 })
        );
    }

    #[test]
    fn extending_expiry() {
        let p = GuestLinkPolicy::default();
        let later = END + Duration::hours(2);
        // Expired links revive only into the future.
        assert!(
            link(None, 0)
                .check_new_expiry(&p, later, END + Duration::hours(1))
                .is_ok()
        );
        assert_eq!(
            link(None, 0).check_new_expiry(&p, later, later),
            Err(GuestLinkError::ExpiryInPast)
        );
        assert_eq!(
            link(Some(1), 1).check_new_expiry(&p, later, START),
            Err(GuestLinkError::UsedUp)
        );
        let mut d = link(None, 0);
        d.disabled = true;
        assert_eq!(
            d.check_new_expiry(&p, later, START),
            Err(GuestLinkError::Disabled)
        );
        assert!(matches!(
            link(None, 0).check_new_expiry(&p, START + Duration::days(91), START),
            Err(GuestLinkError::WindowTooLong { .. })
        ));
    }

    #[test]
    fn templates_expand_and_validate() {
        let t = GuestLinkTemplate {
            id: 1,
            owner_id: UserId(1),
            name: "Cleaner".into(),
            duration_hours: 3,
            max_uses: Some(2),
            created_at: START,
        };
        assert_eq!(t.expand(START), (START, START + Duration::hours(3), Some(2)));
        assert!(check_duration_hours(1).is_ok() && check_duration_hours(2160).is_ok());
        assert!(check_duration_hours(0).is_err() && check_duration_hours(2161).is_err());
    }

    /// `startsAt` in the year 9999 with a template used to overflow (panic).
    #[test]
    fn a_template_window_stops_at_the_end_of_time() {
        let t = GuestLinkTemplate {
            id: 1,
            owner_id: UserId(1),
            name: "Long".into(),
            duration_hours: MAX_TEMPLATE_HOURS,
            max_uses: None,
            created_at: START,
        };
        let late = datetime!(9999-12-31 23:00 UTC);
        assert_eq!(t.expand(late).1, datetime!(9999-12-31 23:59:59.999_999_999 UTC));
        let policy = GuestLinkPolicy::default();
        assert!(policy.check_window(late, t.expand(late).1).is_ok());
    }

    #[test]
    fn labels() {
        assert_eq!(parse_label(Some("  Plumber "), 100), Ok(Some("Plumber".into())));
        assert_eq!(parse_label(Some("  "), 100), Ok(None));
        assert!(parse_label(Some("a\u{202E}b"), 100).is_err());
        assert!(parse_label(Some(&"x".repeat(101)), 100).is_err());
    }
}
