//! POST /api/auth/password

use actix_web::{HttpRequest, HttpResponse, post, web};
use latchkey_domain::PlainPassword;
use serde::Deserialize;
use utoipa::ToSchema;

use super::session_response::with_session;
use crate::auth::Authenticated;
use crate::json::Json;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::OkResponse;
use crate::routes::responses::{
    ForbiddenCsrf, PayloadTooLarge, RateLimited, Unauthenticated, Unavailable, UnsupportedMediaType,
};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePasswordBody {
    #[schema(format = Password)]
    pub current_password: String,
    #[schema(format = Password)]
    pub new_password: String,
}

/// Changes the caller's password. Every session of the user ends; a new one is
/// returned (cookie and `set-auth-token`), so the caller stays logged in.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePasswordBody,
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Changed; a new session is issued", body = OkResponse,
            headers(("set-auth-token" = String, description = "The new bearer token"))),
        (status = 400, description = "Wrong current password (`invalid_current_password`), a new password the policy refuses (`validation_failed`), or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenCsrf),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/auth/password")]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Authenticated,
    body: Json<ChangePasswordBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner()?;
    let client = state.client_info(&req);
    let ok = state
        .identity
        .change_password(
            &who.0,
            &PlainPassword::new(body.current_password),
            &PlainPassword::new(body.new_password),
            &client,
        )
        .await?;
    Ok(with_session(&state, &ok)?.json(OkResponse::yes()))
}
