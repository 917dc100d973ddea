//! POST /api/guest/{token}/unlock

use actix_web::{HttpRequest, HttpResponse, post, web};
use latchkey_application::GuestToken;

use super::check_guest_rate_of;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::OkResponse;
use crate::state::AppState;

/// Opens the door with a guest link: takes one use, then asks Ring once (never
/// retried). If the door did not open, the use is given back. Every attempt is audited
/// with the link's id, the client's address and user agent.
#[utoipa::path(tag = "guest", params(("token" = String, Path, description = "The link's token")),
    responses((status = 200, description = "Ring confirmed the door opened", body = OkResponse),
        (status = 403, description = "The link is not active yet (`link_not_active`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such link (`not_found`), or its intercom is gone from the owner's Ring account (`intercom_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The owner's Ring account is no longer linked (`ring_not_linked`, `ring_needs_relink`); the use was given back", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The link expired, is used up or was disabled (`link_expired`, `link_used_up`, `link_disabled`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address (`rate_limited`, the runtime `guestPerMinute` limit); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 502, description = "Ring or the intercom failed; the use was given back", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Ring is rate-limiting (`ring_rate_limited`) or the database is unavailable (`service_unavailable`); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 504, description = "Ring did not answer in time; the use was given back", body = Problem, content_type = "application/problem+json")))]
#[post("/api/guest/{token}/unlock")]
pub async fn unlock(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let client = state.client_info(&req);
    if let Err(limited) = check_guest_rate_of(&state, client.ip.as_deref()) {
        state.guest.record_rate_limited(client).await;
        return Err(limited);
    }
    state
        .guest
        .unlock(&GuestToken::new(token.into_inner()), client)
        .await?;
    Ok(HttpResponse::Ok().json(OkResponse::yes()))
}
