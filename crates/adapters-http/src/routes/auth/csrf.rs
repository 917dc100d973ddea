//! GET /api/auth/csrf

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::csrf as csrf_pair;
use crate::problem::ApiError;
use crate::routes::responses::Unavailable;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CsrfResponse {
    /// Send this in `X-CSRF-Token` on every mutating request made with the session cookie.
    pub csrf_token: String,
}

/// Issues a CSRF token and sets its cookie pair (an HttpOnly nonce and a readable token).
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "A fresh token", body = CsrfResponse),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/auth/csrf")]
pub async fn csrf(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let mut random = [0u8; 32];
    getrandom::fill(&mut random)
        .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable"))?;
    let (nonce, token) = csrf_pair::issue(&state.keys, &random);
    let mut res = HttpResponse::Ok();
    for cookie in state.cookies.csrf_pair(nonce, token.clone()) {
        res.cookie(cookie);
    }
    Ok(res.json(CsrfResponse { csrf_token: token }))
}
