//! GET /api/guest/{token}

use actix_web::{HttpRequest, HttpResponse, get, web};
use latchkey_application::{GuestToken, GuestView};
use serde::Serialize;
use utoipa::ToSchema;

use super::check_guest_rate;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::iso;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GuestLinkPublic {
    /// The token, echoed back as given.
    pub token: String,
    pub label: Option<String>,
    pub starts_at: String,
    pub expires_at: String,
    /// Whether the door can be opened with this link right now.
    pub valid: bool,
    /// `pending`, `active`, `expired`, `used_up` or `disabled`.
    pub state: String,
    /// Uses left; absent when unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_uses: Option<u32>,
}

impl GuestLinkPublic {
    pub fn new(token: &GuestToken, view: &GuestView) -> Self {
        Self {
            token: token.expose().to_owned(),
            label: view.link.label.clone(),
            starts_at: iso(view.link.starts_at),
            expires_at: iso(view.link.expires_at),
            valid: view.state == latchkey_domain::GuestLinkState::Active,
            state: view.state.as_str().to_owned(),
            remaining_uses: view.link.remaining_uses(),
        }
    }
}

/// What a guest link allows right now. Never uses the link: link previews and
/// prefetchers call this.
#[utoipa::path(tag = "guest", params(("token" = String, Path, description = "The link's token")),
    responses((status = 200, description = "The link and whether it is usable now", body = GuestLinkPublic),
        (status = 404, description = "No such link (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`, the runtime `guestPerMinute` limit); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 503, description = "The database is unavailable (`service_unavailable`); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before retrying")))))]
#[get("/api/guest/{token}")]
pub async fn show_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    check_guest_rate(&state, &req)?;
    let token = GuestToken::new(token.into_inner());
    let view = state.guest.view(&token).await?;
    Ok(HttpResponse::Ok().json(GuestLinkPublic::new(&token, &view)))
}
