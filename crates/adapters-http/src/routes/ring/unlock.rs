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
        (status = 404, description = "Not the caller's account or intercom", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Account not linked or needs relinking", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "Ring or the intercom failed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Ring is rate-limiting (see Retry-After)", body = Problem, content_type = "application/problem+json"),
        (status = 504, description = "Ring did not answer in time; the door may have opened", body = Problem, content_type = "application/problem+json")))]
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
