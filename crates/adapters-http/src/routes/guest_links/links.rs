//! /api/guest-links: list, create, disable.

use actix_web::{HttpResponse, delete, get, post, web};
use latchkey_application::{CreateLink, LinkPageQuery};
use latchkey_domain::{GuestLinkId, IntercomId, RingAccountId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::{GuestLinkDto, parse_instant};
use super::path_id;
use crate::auth::CurrentUser;
use crate::json::{Json, Query};
use crate::problem::{ApiError, Problem};
use crate::routes::dto::OkResponse;
use crate::routes::responses::{
    ForbiddenUser, ForbiddenUserCsrf, PayloadTooLarge, RateLimited, Unauthenticated, Unavailable,
    UnsupportedMediaType,
};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinksResponse {
    pub links: Vec<GuestLinkDto>,
    /// Pass as `before` to get the next (older) page; `null` on the last page.
    pub next_before: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListLinksParams {
    /// Links per page, 1..=500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Only links older than this link id: the previous page's `nextBefore`.
    #[param(minimum = 1)]
    pub before: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkResponse {
    pub link: GuestLinkDto,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateLinkBody {
    /// Shown to the guest; at most 100 characters.
    pub label: Option<String>,
    pub intercom_id: i64,
    /// Defaults to the caller's default Ring account.
    pub ring_account_id: Option<i64>,
    /// RFC 3339; defaults to now.
    #[schema(example = "2026-02-24T12:00:00.000Z")]
    pub starts_at: Option<String>,
    /// RFC 3339, after `startsAt`, at most the configured maximum window later.
    /// Required unless `templateId` is given.
    #[schema(example = "2026-02-24T18:00:00.000Z")]
    pub expires_at: Option<String>,
    /// 1 to 1000; absent or null for unlimited.
    #[schema(minimum = 1, maximum = 1000)]
    pub max_uses: Option<i64>,
    /// Fills the window's length and `maxUses` from one of the caller's templates
    /// (explicit `expiresAt` / `maxUses` win).
    pub template_id: Option<i64>,
}

/// The caller's guest links, newest first, each with its state, uses and URL: at most
/// `limit` (default 100) per page; `nextBefore` leads to the next page.
#[utoipa::path(tag = "guest-links", params(ListLinksParams), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The caller's links", body = LinksResponse),
        (status = 400, description = "Bad paging parameters (`invalid_query`, `validation_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUser),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[get("/api/guest-links")]
pub async fn list_links(
    state: web::Data<AppState>,
    who: CurrentUser,
    q: Query<ListLinksParams>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner()?;
    let page = state
        .guest
        .links(who.0.actor(), LinkPageQuery::new(q.before, q.limit)?)
        .await?;
    Ok(HttpResponse::Ok().json(LinksResponse {
        links: page
            .links
            .iter()
            .map(|l| GuestLinkDto::new(l, &state.config))
            .collect(),
        next_before: page.next_before.map(|id| id.0),
    }))
}

/// Creates a guest link to one of the caller's intercoms.
#[utoipa::path(tag = "guest-links", request_body = CreateLinkBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Created; `link.url` is what the guest opens", body = LinkResponse),
        (status = 400, description = "Invalid window, use limit or label (`validation_failed`, `field` names it), or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 404, description = "Not the caller's Ring account, template (`not_found`) or intercom (`intercom_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The Ring account is not linked (`ring_not_linked`) or needs relinking (`ring_needs_relink`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 502, description = "Ring failed while checking the intercom (`ring_unavailable`, `ring_unexpected`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Ring is rate-limiting (`ring_rate_limited`) or the database is unavailable (`service_unavailable`); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 504, description = "Ring did not answer in time (`ring_timeout`)", body = Problem, content_type = "application/problem+json")))]
#[post("/api/guest-links")]
pub async fn create_link(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: Json<CreateLinkBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner()?;
    let cmd = CreateLink {
        label: b.label,
        intercom_id: Some(IntercomId(b.intercom_id)),
        ring_account_id: b.ring_account_id.map(RingAccountId),
        starts_at: b
            .starts_at
            .as_deref()
            .map(|s| parse_instant("startsAt", s))
            .transpose()?,
        expires_at: b
            .expires_at
            .as_deref()
            .map(|s| parse_instant("expiresAt", s))
            .transpose()?,
        max_uses: b.max_uses,
        template_id: b.template_id,
    };
    let view = state.guest.create_link(who.0.actor(), cmd).await?;
    Ok(HttpResponse::Ok().json(LinkResponse {
        link: GuestLinkDto::new(&view, &state.config),
    }))
}

/// Disables a link for good; the next guest request answers 410.
#[utoipa::path(tag = "guest-links", params(("id" = i64, Path, minimum = 1, description = "Guest link id")),
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Disabled (also when it already was)", body = OkResponse),
        (status = 400, description = "An invalid id (`invalid_id`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 404, description = "No such link of the caller (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[delete("/api/guest-links/{id}")]
pub async fn disable_link(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = GuestLinkId(path_id(&id)?);
    state.guest.disable_link(who.0.actor(), id).await?;
    Ok(HttpResponse::Ok().json(OkResponse::yes()))
}
