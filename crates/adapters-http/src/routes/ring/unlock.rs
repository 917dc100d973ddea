//! POST /api/ring/unlock

use actix_web::{HttpRequest, HttpResponse, post, web};
use latchkey_application::ring::UnlockRequest;
use latchkey_domain::{IntercomId, RingAccountId};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::json::Json;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::OkResponse;
use crate::routes::responses::{
    ForbiddenUserCsrf, PayloadTooLarge, RateLimited, Unauthenticated, UnsupportedMediaType,
};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnlockBody {
    pub intercom_id: i64,
    /// Defaults to the caller's default account.
    pub ring_account_id: Option<i64>,
}

/// Opens the door of one of the caller's intercoms. Sent to Ring once, never retried;
/// every attempt is audited.
#[utoipa::path(tag = "ring", request_body = UnlockBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Ring confirmed the door opened", body = OkResponse),
        (status = 400, description = "A malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 404, description = "Not the caller's account (`not_found`) or intercom (`intercom_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Account not linked (`ring_not_linked`) or needs relinking (`ring_needs_relink`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 502, description = "Ring or the intercom failed (`ring_unavailable`, `ring_unexpected`, `intercom_offline`, `intercom_rejected`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Ring is rate-limiting (`ring_rate_limited`) or the database is unavailable (`service_unavailable`); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 504, description = "Ring did not answer in time (`ring_timeout`); the door may have opened", body = Problem, content_type = "application/problem+json")))]
#[post("/api/ring/unlock")]
pub async fn unlock(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: CurrentUser,
    body: Json<UnlockBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner()?;
    let request = UnlockRequest {
        intercom: IntercomId(b.intercom_id),
        ring_account_id: b.ring_account_id.map(RingAccountId),
        client: state.client_info(&req),
    };
    state.ring.unlock(who.0.actor(), request).await?;
    Ok(HttpResponse::Ok().json(OkResponse::yes()))
}
