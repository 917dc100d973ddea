//! Guest links and templates as their owner sees them.

use latchkey_application::LinkView;
use latchkey_domain::{GuestLinkState, GuestLinkTemplate};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};
use utoipa::ToSchema;

use crate::problem::ApiError;
use crate::routes::dto::iso;
use crate::state::HttpConfig;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GuestLinkDto {
    pub id: i64,
    pub label: Option<String>,
    pub intercom_id: i64,
    pub ring_account_id: i64,
    pub starts_at: String,
    pub expires_at: String,
    /// Absent (null) for unlimited.
    pub max_uses: Option<u32>,
    pub uses: u32,
    /// Null for unlimited.
    pub remaining_uses: Option<u32>,
    /// `pending`, `active`, `expired`, `used_up` or `disabled`.
    pub state: String,
    /// Whether the door can be opened with this link right now.
    pub valid: bool,
    pub disabled: bool,
    pub created_at: String,
    /// The secret part of the URL. Null if the stored copy cannot be opened (the
    /// server secret changed); the link still works for whoever holds its URL.
    pub token: Option<String>,
    /// The URL to send to the guest.
    pub url: Option<String>,
}

impl GuestLinkDto {
    pub fn new(view: &LinkView, config: &HttpConfig) -> Self {
        let link = &view.link;
        let token = view.token.as_ref().map(|t| t.expose().to_owned());
        Self {
            id: link.id.0,
            label: link.label.clone(),
            intercom_id: link.intercom_id.0,
            ring_account_id: link.ring_account_id.0,
            starts_at: iso(link.starts_at),
            expires_at: iso(link.expires_at),
            max_uses: link.max_uses,
            uses: link.uses,
            remaining_uses: link.remaining_uses(),
            state: view.state.as_str().to_owned(),
            valid: view.state == GuestLinkState::Active,
            disabled: link.disabled,
            created_at: iso(link.created_at),
            url: token.as_deref().map(|t| config.guest_url(t)),
            token,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GuestTemplateDto {
    pub id: i64,
    pub name: String,
    pub duration_hours: i64,
    /// Null for unlimited.
    pub max_uses: Option<u32>,
    pub created_at: String,
}

impl From<&GuestLinkTemplate> for GuestTemplateDto {
    fn from(t: &GuestLinkTemplate) -> Self {
        Self {
            id: t.id,
            name: t.name.clone(),
            duration_hours: t.duration_hours,
            max_uses: t.max_uses,
            created_at: iso(t.created_at),
        }
    }
}

/// An RFC 3339 instant from a body field, in UTC, else 400 naming the field.
///
/// An offset can carry a date past the year 9999 in UTC
/// (`9999-12-31T23:59:59-23:59`), which `time` cannot hold in UTC: refused here, so
/// that no later conversion can panic.
pub fn parse_instant(field: &'static str, raw: &str) -> Result<OffsetDateTime, ApiError> {
    OffsetDateTime::parse(raw.trim(), &Rfc3339)
        .ok()
        .and_then(|t| t.checked_to_offset(UtcOffset::UTC))
        .ok_or_else(|| {
            ApiError::bad_request(
                "validation_failed",
                format!("{field} must be an RFC 3339 date-time such as 2026-02-24T12:00:00.000Z"),
            )
            .field(field)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn instants_parse_with_any_offset_and_name_their_field() {
        assert_eq!(
            parse_instant("startsAt", "2026-02-24T12:00:00.000Z").unwrap(),
            datetime!(2026-02-24 12:00 UTC)
        );
        assert_eq!(
            parse_instant("startsAt", "2026-02-24T14:00:00+02:00").unwrap(),
            datetime!(2026-02-24 12:00 UTC)
        );
        assert_eq!(
            parse_instant("startsAt", "2026-02-24T14:00:00+02:00")
                .unwrap()
                .offset(),
            UtcOffset::UTC
        );
        for bad in ["", "tomorrow", "2026-02-24", "2026-02-24 12:00:00"] {
            let e = parse_instant("expiresAt", bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("expiresAt"), "{bad}");
        }
    }

    /// Found by `cargo xtask fuzz` (json_bodies): the instant parsed, and converting it
    /// to UTC (`iso`, the stores) panicked.
    #[test]
    fn instants_beyond_year_9999_in_utc_are_refused() {
        let e = parse_instant("expiresAt", "9999-12-31T23:59:59.999999999-23:59").unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            ("validation_failed", Some("expiresAt"))
        );
        assert_eq!(
            parse_instant("expiresAt", "9999-12-31T23:59:59+00:00").unwrap(),
            datetime!(9999-12-31 23:59:59 UTC)
        );
        assert_eq!(
            parse_instant("startsAt", "0000-01-01T00:00:00+01:00").unwrap(),
            datetime!(-0001-12-31 23:00 UTC)
        );
    }
}
