//! GET /api/admin/login-audit

use actix_web::{HttpResponse, get, web};
use latchkey_application::PageQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AdminUser;
use crate::json::Query;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::iso;
use crate::routes::responses::{ForbiddenAdmin, RateLimited, Unauthenticated, Unavailable};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    /// Events per page, 1..=500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginAuditEventDto {
    pub id: i64,
    pub occurred_at: String,
    /// As typed by the client (at most 128 characters).
    pub username: String,
    pub user_id: Option<i64>,
    /// `success`, `missing_credentials`, `invalid_credentials`, `disabled`, `locked`, `rate_limited`.
    pub outcome: String,
    pub success: bool,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginAuditResponse {
    pub events: Vec<LoginAuditEventDto>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// Lists login attempts, newest first.
#[utoipa::path(
    tag = "admin",
    params(PageParams),
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "One page of events", body = LoginAuditResponse),
        (status = 400, description = "Bad paging parameters (`invalid_query`, `validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdmin),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/admin/login-audit")]
pub async fn login_audit(
    state: web::Data<AppState>,
    admin: AdminUser,
    q: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner()?;
    let query = PageQuery::new(q.page, q.page_size)?;
    let page = state.admin.login_audit(admin.0.actor(), query).await?;
    let events = page
        .items
        .into_iter()
        .map(|e| LoginAuditEventDto {
            id: e.id,
            occurred_at: iso(e.occurred_at),
            username: e.username,
            user_id: e.user_id.map(|u| u.0),
            outcome: e.outcome.as_str().to_owned(),
            success: e.outcome == latchkey_domain::LoginOutcome::Success,
            ip: e.ip,
            user_agent: e.user_agent,
        })
        .collect();
    Ok(HttpResponse::Ok().json(LoginAuditResponse {
        events,
        total: page.total,
        page: query.page,
        page_size: query.page_size,
    }))
}
