//! GET and POST /api/admin/limits

use actix_web::{HttpResponse, get, post, web};
use latchkey_domain::{RateLimits, RateLimitsPatch};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AdminUser;
use crate::json::Json;
use crate::problem::{ApiError, Problem};
use crate::routes::responses::{
    ForbiddenAdmin, ForbiddenAdminCsrf, PayloadTooLarge, RateLimited, Unauthenticated, Unavailable,
    UnsupportedMediaType,
};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LimitsResponse {
    /// Public guest endpoints, per client IP per minute.
    pub guest_per_minute: u32,
    /// Login attempts per client IP, and authenticated calls per user, per minute.
    pub auth_per_minute: u32,
}

impl From<RateLimits> for LimitsResponse {
    fn from(l: RateLimits) -> Self {
        Self {
            guest_per_minute: l.guest_per_minute,
            auth_per_minute: l.auth_per_minute,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitsBody {
    /// 1..=1000000; absent or null keeps the current value.
    #[schema(minimum = 1, maximum = 1000000)]
    pub guest_per_minute: Option<i64>,
    /// 1..=1000000; absent or null keeps the current value.
    #[schema(minimum = 1, maximum = 1000000)]
    pub auth_per_minute: Option<i64>,
}

/// Reads the runtime rate limits.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "Limits in force", body = LimitsResponse),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdmin),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/admin/limits")]
pub async fn get_limits(state: web::Data<AppState>, admin: AdminUser) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(LimitsResponse::from(state.limits.get(admin.0.actor())?)))
}

/// Updates the runtime rate limits; they apply to the next request and survive restarts.
#[utoipa::path(
    tag = "admin",
    request_body = LimitsBody,
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Limits now in force", body = LimitsResponse),
        (status = 400, description = "A value out of range (`validation_failed`, `field` names it), or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdminCsrf),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/admin/limits")]
pub async fn set_limits(
    state: web::Data<AppState>,
    admin: AdminUser,
    body: Json<LimitsBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner()?;
    let patch = RateLimitsPatch {
        guest_per_minute: body.guest_per_minute,
        auth_per_minute: body.auth_per_minute,
    };
    let limits = state.limits.update(admin.0.actor(), patch).await?;
    Ok(HttpResponse::Ok().json(LimitsResponse::from(limits)))
}
