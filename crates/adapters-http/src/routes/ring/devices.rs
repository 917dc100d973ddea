//! /api/ring/status, /api/ring/summary, /api/ring/health/history, /api/admin/devices

use actix_web::{HttpResponse, get, web};
use latchkey_domain::IntercomId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::{AccountSummaryDto, RingAccountDto};
use crate::auth::{AdminUser, CurrentUser};
use crate::json::Query;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::iso;
use crate::routes::responses::{ForbiddenAdmin, ForbiddenUser, RateLimited, Unauthenticated, Unavailable};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusResponse {
    /// At least one account is linked.
    pub configured: bool,
    pub accounts: Vec<RingAccountDto>,
}

/// Ring integration status and the caller's accounts.
#[utoipa::path(tag = "ring", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Status", body = StatusResponse),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUser),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[get("/api/ring/status")]
pub async fn status(state: web::Data<AppState>, who: CurrentUser) -> Result<HttpResponse, ApiError> {
    let (configured, accounts) = state.ring.status(who.0.actor()).await?;
    Ok(HttpResponse::Ok().json(StatusResponse {
        configured,
        accounts: accounts.iter().map(RingAccountDto::from).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryResponse {
    /// One entry per account, each with its intercoms (or the error that hid them).
    pub summary: Vec<AccountSummaryDto>,
}

/// The caller's intercoms per account: id, name, location, battery, online, firmware.
#[utoipa::path(tag = "ring", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Summary", body = SummaryResponse),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUser),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[get("/api/ring/summary")]
pub async fn summary(state: web::Data<AppState>, who: CurrentUser) -> Result<HttpResponse, ApiError> {
    let summary = state.ring.summary(who.0.actor()).await?;
    Ok(HttpResponse::Ok().json(SummaryResponse {
        summary: summary.iter().map(AccountSummaryDto::from).collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct HistoryParams {
    pub intercom_id: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HealthSnapshotDto {
    pub ring_account_id: i64,
    pub intercom_id: i64,
    pub taken_at: String,
    pub online: Option<bool>,
    pub battery_percent: Option<i32>,
    pub signal_dbm: Option<i32>,
    pub firmware: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryResponse {
    pub history: Vec<HealthSnapshotDto>,
}

/// Health snapshots of one of the caller's intercoms, newest first (taken by the
/// background poller).
#[utoipa::path(tag = "ring", params(HistoryParams), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "History", body = HistoryResponse),
        (status = 400, description = "intercomId missing or not a number (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUser),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[get("/api/ring/health/history")]
pub async fn health_history(
    state: web::Data<AppState>,
    who: CurrentUser,
    q: Query<HistoryParams>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner()?;
    let history = state
        .ring
        .health_history(who.0.actor(), IntercomId(q.intercom_id))
        .await?;
    let history = history
        .into_iter()
        .map(|h| HealthSnapshotDto {
            ring_account_id: h.ring_account_id.0,
            intercom_id: h.intercom_id.0,
            taken_at: iso(h.taken_at),
            online: h.online,
            battery_percent: h.battery_percent,
            signal_dbm: h.signal_dbm,
            firmware: h.firmware,
        })
        .collect();
    Ok(HttpResponse::Ok().json(HistoryResponse { history }))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserDevicesDto {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub accounts: Vec<AccountSummaryDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminDevicesResponse {
    pub users: Vec<UserDevicesDto>,
}

/// Every user with their Ring device summary (admin view).
#[utoipa::path(tag = "admin", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Users and their devices", body = AdminDevicesResponse),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdmin),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[get("/api/admin/devices")]
pub async fn admin_devices(state: web::Data<AppState>, admin: AdminUser) -> Result<HttpResponse, ApiError> {
    let all = state.ring.all_devices(admin.0.actor()).await?;
    let users = all
        .iter()
        .map(|u| UserDevicesDto {
            id: u.user.id.0,
            username: u.user.username.to_string(),
            role: u.user.role.as_str().to_owned(),
            accounts: u.accounts.iter().map(AccountSummaryDto::from).collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(AdminDevicesResponse { users }))
}
