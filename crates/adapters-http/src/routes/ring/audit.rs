//! GET /api/audit and GET /api/admin/audit: unlock events.

use actix_web::{HttpResponse, get, web};
use latchkey_application::PageQuery;
use latchkey_domain::{UnlockActor, UnlockEvent, UnlockOutcome, UserId};
use latchkey_ports::Page;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{AdminUser, CurrentUser};
use crate::json::Query;
use crate::problem::{ApiError, Problem};
use crate::routes::admin::login_audit::PageParams;
use crate::routes::dto::iso;
use crate::routes::responses::{ForbiddenAdmin, ForbiddenUser, RateLimited, Unauthenticated, Unavailable};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only this user's events (as owner or actor).
    #[param(minimum = 1)]
    pub user_id: Option<i64>,
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    /// Events per page, 1..=500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub page_size: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnlockEventDto {
    pub id: i64,
    pub occurred_at: String,
    /// `user` or `guest`.
    pub actor: String,
    /// The acting user, for `actor = user`.
    pub user_id: Option<i64>,
    /// The guest link used, for `actor = guest`.
    pub guest_link_id: Option<i64>,
    /// The resident whose door it is.
    pub owner_id: Option<i64>,
    pub ring_account_id: Option<i64>,
    pub intercom_id: Option<i64>,
    /// `opened`, `failed` or `unknown`: Ring's answer was lost (`errorCode` says how), or,
    /// with no `errorCode`, a guest attempt still waiting for Ring or never settled
    /// (the server stopped meanwhile).
    pub outcome: String,
    pub success: bool,
    pub error_code: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl From<UnlockEvent> for UnlockEventDto {
    fn from(e: UnlockEvent) -> Self {
        let (user_id, guest_link_id) = match e.actor {
            UnlockActor::User(u) => (Some(u.0), None),
            UnlockActor::Guest { link_id } => (None, link_id),
        };
        Self {
            id: e.id,
            occurred_at: iso(e.occurred_at),
            actor: e.actor.kind().to_owned(),
            user_id,
            guest_link_id,
            owner_id: e.owner_id.map(|u| u.0),
            ring_account_id: e.ring_account_id.map(|a| a.0),
            intercom_id: e.intercom_id.map(|i| i.0),
            outcome: e.outcome.as_str().to_owned(),
            success: e.outcome == UnlockOutcome::Opened,
            error_code: e.error_code,
            ip: e.ip,
            user_agent: e.user_agent,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditResponse {
    pub events: Vec<UnlockEventDto>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

fn response(page: Page<UnlockEvent>, q: PageQuery) -> HttpResponse {
    HttpResponse::Ok().json(AuditResponse {
        events: page.items.into_iter().map(UnlockEventDto::from).collect(),
        total: page.total,
        page: q.page,
        page_size: q.page_size,
    })
}

/// The caller's unlock events, newest first.
#[utoipa::path(tag = "ring",
    params(("userId" = Option<i64>, Query, description = "Ignored: these are always the caller's own events (GET /api/admin/audit filters by user)"), PageParams),
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Events", body = AuditResponse),
        (status = 400, description = "Bad paging parameters (`invalid_query`, `validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUser),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[get("/api/audit")]
pub async fn my_audit(
    state: web::Data<AppState>,
    who: CurrentUser,
    q: Query<AuditParams>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner()?;
    let query = PageQuery::new(q.page, q.page_size)?;
    Ok(response(
        state.ring.my_unlocks(who.0.actor(), query).await?,
        query,
    ))
}

/// All unlock events, or one user's (`userId`), newest first.
#[utoipa::path(tag = "admin", params(AuditParams), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Events", body = AuditResponse),
        (status = 400, description = "Bad parameters (`invalid_query`, `validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdmin),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[get("/api/admin/audit")]
pub async fn admin_audit(
    state: web::Data<AppState>,
    admin: AdminUser,
    q: Query<AuditParams>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner()?;
    let query = PageQuery::new(q.page, q.page_size)?;
    let user = match q.user_id {
        Some(id) if id > 0 => Some(UserId(id)),
        Some(_) => {
            return Err(
                ApiError::bad_request("invalid_query", "userId must be a positive integer").field("userId"),
            );
        }
        None => None,
    };
    Ok(response(
        state.ring.unlocks(admin.0.actor(), user, query).await?,
        query,
    ))
}
