//! Ring shapes on the wire.

use latchkey_application::ring::AccountIntercoms;
use latchkey_domain::{RingAccount, RingAccountId, RingLinkStatus};
use latchkey_ports::IntercomInfo;
use serde::Serialize;
use utoipa::ToSchema;

use crate::problem::ApiError;
use crate::routes::dto::iso;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RingAccountDto {
    pub id: i64,
    pub label: String,
    pub is_default: bool,
    /// `unlinked`, `linked` or `needs_relink`.
    pub status: String,
    /// Whether a refresh token is stored and usable.
    pub linked: bool,
    pub needs_relink: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&RingAccount> for RingAccountDto {
    fn from(a: &RingAccount) -> Self {
        Self {
            id: a.id.0,
            label: a.label.as_str().to_owned(),
            is_default: a.is_default,
            status: a.status.as_str().to_owned(),
            linked: a.status == RingLinkStatus::Linked,
            needs_relink: a.status == RingLinkStatus::NeedsRelink,
            created_at: iso(a.created_at),
            updated_at: iso(a.updated_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IntercomDto {
    pub id: i64,
    pub name: String,
    /// Ring's location id.
    pub location: Option<String>,
    /// Battery level in percent.
    pub battery: Option<i32>,
    pub online: Option<bool>,
    pub firmware: Option<String>,
}

impl From<&IntercomInfo> for IntercomDto {
    fn from(i: &IntercomInfo) -> Self {
        Self {
            id: i.id.0,
            name: i.name.clone(),
            location: i.location_id.clone(),
            battery: i.battery_percent,
            online: i.online,
            firmware: i.firmware.clone(),
        }
    }
}

/// One linked account and its intercoms.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummaryDto {
    pub ring_account_id: i64,
    pub label: String,
    pub is_default: bool,
    pub status: String,
    pub intercoms: Vec<IntercomDto>,
    /// Why the intercoms could not be listed (stable code), if they could not.
    pub error: Option<String>,
}

impl From<&AccountIntercoms> for AccountSummaryDto {
    fn from(a: &AccountIntercoms) -> Self {
        Self {
            ring_account_id: a.account.id.0,
            label: a.account.label.as_str().to_owned(),
            is_default: a.account.is_default,
            status: a.account.status.as_str().to_owned(),
            intercoms: a.intercoms.iter().map(IntercomDto::from).collect(),
            error: a.error.as_ref().map(|e| {
                ApiError::from(latchkey_application::AppError::Ring(e.clone()))
                    .code
                    .to_owned()
            }),
        }
    }
}

pub fn account_id(raw: &str) -> Result<RingAccountId, ApiError> {
    crate::routes::dto::parse_id(raw).map(|id| RingAccountId(id.0))
}
