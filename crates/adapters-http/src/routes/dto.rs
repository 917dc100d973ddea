//! Shapes shared by several endpoints.

use latchkey_domain::{User, UserId};
use serde::Serialize;
use time::OffsetDateTime;
use time::macros::format_description;
use utoipa::ToSchema;

use crate::problem::ApiError;

/// `{ "ok": true }`
#[derive(Debug, Serialize, ToSchema)]
pub struct OkResponse {
    pub ok: bool,
}

impl OkResponse {
    pub fn yes() -> Self {
        Self { ok: true }
    }
}

/// Formats as the seed does (`2026-02-24T12:00:00.000Z`, like JavaScript's toISOString).
pub fn iso(t: OffsetDateTime) -> String {
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    t.checked_to_offset(time::UtcOffset::UTC)
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_default()
}

/// A path id: a positive integer, else 400 (seed: "Invalid id").
pub fn parse_id(raw: &str) -> Result<UserId, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(UserId)
        .ok_or_else(|| ApiError::bad_request("invalid_id", "the id must be a positive integer").field("id"))
}

/// A user as admins see it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    pub id: i64,
    pub username: String,
    /// `admin` or `user`.
    pub role: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub structure: Option<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    /// Whether a lockout is in force now.
    pub locked: bool,
    pub locked_until: Option<String>,
    pub failed_logins: u32,
    pub created_at: String,
    pub updated_at: String,
}

impl UserDto {
    pub fn from_user(u: &User, now: OffsetDateTime) -> Self {
        let locked_until = u.lock.locked_until(now);
        Self {
            id: u.id.0,
            username: u.username.to_string(),
            role: u.role.as_str().to_owned(),
            first_name: u.first_name.as_deref().map(str::to_owned),
            last_name: u.last_name.as_deref().map(str::to_owned),
            structure: u.structure.as_deref().map(str::to_owned),
            disabled: u.disabled,
            must_change_password: u.must_change_password,
            locked: locked_until.is_some(),
            locked_until: locked_until.map(iso),
            failed_logins: u.lock.failed_logins,
            created_at: iso(u.created_at),
            updated_at: iso(u.updated_at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn iso_matches_javascript() {
        assert_eq!(
            iso(datetime!(2026-02-24 12:00:00.123456 UTC)),
            "2026-02-24T12:00:00.123Z"
        );
        assert_eq!(
            iso(datetime!(2026-02-24 13:00 +01:00)),
            "2026-02-24T12:00:00.000Z"
        );
        // Past the year 9999 in UTC: nothing to show, and no panic.
        assert_eq!(iso(datetime!(9999-12-31 23:59 -01:00)), "");
    }

    #[test]
    fn ids_must_be_positive_integers() {
        assert_eq!(parse_id("42").unwrap(), UserId(42));
        for bad in ["0", "-1", "abc", "1.5", "", "99999999999999999999"] {
            assert_eq!(parse_id(bad).unwrap_err().code, "invalid_id", "{bad}");
        }
    }
}
