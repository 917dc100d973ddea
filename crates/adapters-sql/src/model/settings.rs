//! The `settings` key/value table and the rate limits stored in it.

use diesel::dsl::auto_type;
use diesel::{ExpressionMethods, Insertable, QueryDsl};
use latchkey_domain::{RateLimits, RateLimitsPatch};
use latchkey_ports::StoreError;
use time::PrimitiveDateTime;

use super::corrupt;
use crate::schema::settings;

pub const GUEST_PER_MINUTE: &str = "rate_limits.guest_per_minute";
pub const AUTH_PER_MINUTE: &str = "rate_limits.auth_per_minute";
const RATE_LIMIT_KEYS: [&str; 2] = [GUEST_PER_MINUTE, AUTH_PER_MINUTE];

#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = settings, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct SettingRow {
    pub key: &'static str,
    pub value: String,
    pub updated_at: PrimitiveDateTime,
}

/// The two rows `save_rate_limits` upserts.
pub fn rate_limit_rows(limits: RateLimits, now: PrimitiveDateTime) -> [SettingRow; 2] {
    [
        SettingRow {
            key: GUEST_PER_MINUTE,
            value: limits.guest_per_minute.to_string(),
            updated_at: now,
        },
        SettingRow {
            key: AUTH_PER_MINUTE,
            value: limits.auth_per_minute.to_string(),
            updated_at: now,
        },
    ]
}

/// Rebuilds the limits from stored `(key, value)` pairs through the domain's own bounds.
///
/// # Errors
/// [`StoreError::Corrupt`] when only one of the two was stored or a value is out of range.
pub fn rate_limits_from(pairs: &[(String, String)]) -> Result<Option<RateLimits>, StoreError> {
    if pairs.is_empty() {
        return Ok(None);
    }
    let value = |key: &str| -> Result<i64, StoreError> {
        let (_, raw) = pairs
            .iter()
            .find(|(k, _)| k == key)
            .ok_or_else(|| corrupt("setting", key, "missing while its sibling is stored"))?;
        raw.parse()
            .map_err(|_| corrupt("setting", key, format!("not a number: {raw:?}")))
    };
    let patch = RateLimitsPatch {
        guest_per_minute: Some(value(GUEST_PER_MINUTE)?),
        auth_per_minute: Some(value(AUTH_PER_MINUTE)?),
    };
    RateLimits::default()
        .apply(patch)
        .map(Some)
        .map_err(|e| corrupt("setting", e.field, e))
}

#[auto_type]
pub fn rate_limit_pairs() -> _ {
    let keys: [&'static str; 2] = RATE_LIMIT_KEYS;
    settings::table
        .filter(settings::key.eq_any(keys))
        .select((settings::key, settings::value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn pairs(guest: &str, auth: &str) -> Vec<(String, String)> {
        vec![
            (GUEST_PER_MINUTE.into(), guest.into()),
            (AUTH_PER_MINUTE.into(), auth.into()),
        ]
    }

    #[test]
    fn limits_round_trip_through_rows() {
        let limits = RateLimits {
            guest_per_minute: 7,
            auth_per_minute: 1_000_000,
        };
        let rows = rate_limit_rows(limits, datetime!(2026-01-01 0:00));
        let stored: Vec<_> = rows.iter().map(|r| (r.key.to_owned(), r.value.clone())).collect();
        assert_eq!(rate_limits_from(&stored), Ok(Some(limits)));
    }

    #[test]
    fn nothing_stored_is_none() {
        assert_eq!(rate_limits_from(&[]), Ok(None));
    }

    #[test]
    fn half_stored_garbled_or_out_of_range_is_corrupt() {
        let half = vec![(GUEST_PER_MINUTE.to_owned(), "5".to_owned())];
        for bad in [half, pairs("x", "5"), pairs("0", "5"), pairs("5", "1000001")] {
            assert!(
                matches!(rate_limits_from(&bad), Err(StoreError::Corrupt(_))),
                "{bad:?}"
            );
        }
    }
}
