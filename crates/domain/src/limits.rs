//! Runtime rate limits an admin can change while the service runs.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Public guest endpoints, per client IP, per minute.
    pub guest_per_minute: u32,
    /// Login attempts per client IP and authenticated calls per user, per minute.
    pub auth_per_minute: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            guest_per_minute: 60,
            auth_per_minute: 120,
        }
    }
}

/// A partial update as an admin sends it; values are still unchecked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimitsPatch {
    pub guest_per_minute: Option<i64>,
    pub auth_per_minute: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} must be a whole number from {min} to {max}")]
pub struct RateLimitsError {
    pub field: &'static str,
    pub min: u32,
    pub max: u32,
}

impl RateLimits {
    pub const MIN: u32 = 1;
    /// Anything above a million a minute is a typo, not a policy.
    pub const MAX: u32 = 1_000_000;

    pub fn apply(self, patch: RateLimitsPatch) -> Result<RateLimits, RateLimitsError> {
        Ok(RateLimits {
            guest_per_minute: Self::checked("guestPerMinute", patch.guest_per_minute, self.guest_per_minute)?,
            auth_per_minute: Self::checked("authPerMinute", patch.auth_per_minute, self.auth_per_minute)?,
        })
    }

    fn checked(field: &'static str, value: Option<i64>, current: u32) -> Result<u32, RateLimitsError> {
        let Some(value) = value else { return Ok(current) };
        u32::try_from(value)
            .ok()
            .filter(|v| (Self::MIN..=Self::MAX).contains(v))
            .ok_or(RateLimitsError {
                field,
                min: Self::MIN,
                max: Self::MAX,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_fields_keep_current_values() {
        let cur = RateLimits {
            guest_per_minute: 10,
            auth_per_minute: 20,
        };
        assert_eq!(cur.apply(RateLimitsPatch::default()), Ok(cur));
        let p = RateLimitsPatch {
            guest_per_minute: Some(3),
            auth_per_minute: None,
        };
        assert_eq!(
            cur.apply(p),
            Ok(RateLimits {
                guest_per_minute: 3,
                auth_per_minute: 20
            })
        );
    }

    #[test]
    fn bounds_are_inclusive_and_name_the_field() {
        let cur = RateLimits::default();
        for ok in [1, 60, 1_000_000] {
            assert!(
                cur.apply(RateLimitsPatch {
                    auth_per_minute: Some(ok),
                    ..Default::default()
                })
                .is_ok()
            );
        }
        for bad in [0, -1, 1_000_001, i64::MAX] {
            let err = cur
                .apply(RateLimitsPatch {
                    guest_per_minute: Some(bad),
                    ..Default::default()
                })
                .unwrap_err();
            assert_eq!(err.field, "guestPerMinute");
        }
    }
}
