//! PATCH and PUT /api/guest-links/{id}/expires-at (PUT is the seed's compatibility
//! route; both behave the same).

use actix_web::{HttpResponse, patch, put, web};
use latchkey_domain::GuestLinkId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::parse_instant;
use super::path_id;
use crate::auth::CurrentUser;
use crate::json::Json;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::iso;
use crate::routes::responses::{
    ForbiddenUserCsrf, PayloadTooLarge, RateLimited, Unauthenticated, Unavailable, UnsupportedMediaType,
};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpiryBody {
    /// RFC 3339, in the future, at most the configured maximum window after `startsAt`.
    #[schema(example = "2026-02-24T12:00:00.000Z")]
    pub expires_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExpiryResponse {
    pub ok: bool,
    pub expires_at: String,
}

async fn set_expiry(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: Json<ExpiryBody>,
) -> Result<HttpResponse, ApiError> {
    let id = GuestLinkId(path_id(&id)?);
    let body = body.into_inner()?;
    let expires_at = parse_instant("expiresAt", &body.expires_at)?;
    let stored = state.guest.set_expiry(who.0.actor(), id, expires_at).await?;
    Ok(HttpResponse::Ok().json(ExpiryResponse {
        ok: true,
        expires_at: iso(stored),
    }))
}

/// Moves a link's expiry. An expired link comes back to life when the new expiry is in
/// the future; a disabled or used-up link cannot be extended (409).
#[utoipa::path(tag = "guest-links", params(("id" = i64, Path, minimum = 1, description = "Guest link id")), request_body = ExpiryBody,
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "The stored expiry", body = ExpiryResponse),
        (status = 400, description = "An invalid id (`invalid_id`); a time that is not RFC 3339, in the past, or too far after the start (`validation_failed`); or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 404, description = "No such link of the caller (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The link is disabled (`link_disabled`) or used up (`link_used_up`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[patch("/api/guest-links/{id}/expires-at")]
pub async fn patch_expiry(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: Json<ExpiryBody>,
) -> Result<HttpResponse, ApiError> {
    set_expiry(state, who, id, body).await
}

/// Same as PATCH (compatibility route).
#[utoipa::path(tag = "guest-links", params(("id" = i64, Path, minimum = 1, description = "Guest link id")), request_body = ExpiryBody,
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "The stored expiry", body = ExpiryResponse),
        (status = 400, description = "An invalid id (`invalid_id`); a time that is not RFC 3339, in the past, or too far after the start (`validation_failed`); or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 404, description = "No such link of the caller (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The link is disabled (`link_disabled`) or used up (`link_used_up`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[put("/api/guest-links/{id}/expires-at")]
pub async fn put_expiry(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: Json<ExpiryBody>,
) -> Result<HttpResponse, ApiError> {
    set_expiry(state, who, id, body).await
}
