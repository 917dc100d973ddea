//! POST /api/auth/login

use actix_web::{HttpRequest, HttpResponse, post, web};
use latchkey_application::LoginCommand;
use latchkey_domain::PlainPassword;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::session_response::with_session;
use crate::auth::extract::reject_cross_site;
use crate::json::Json;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::iso;
use crate::routes::responses::{PayloadTooLarge, UnsupportedMediaType};
use crate::state::AppState;

/// Both fields are required: one missing, null or blank answers 400
/// `missing_credentials` (and is audited as such), not a body error.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginBody {
    #[schema(value_type = String, required = true, nullable = false, min_length = 1, pattern = r"\S")]
    pub username: Option<String>,
    #[schema(value_type = String, required = true, nullable = false, min_length = 1, format = Password)]
    pub password: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    pub ok: bool,
    pub username: String,
    /// `admin` or `user`.
    pub role: String,
    /// When true, only `POST /api/auth/password`, `GET /api/auth/me` and logout work.
    pub must_change_password: bool,
    /// Absolute end of the session.
    pub expires_at: String,
}

/// Authenticates an admin or standard user and creates a session.
///
/// Sets the session cookie and returns the same token in the `set-auth-token` header
/// for API clients (`Authorization: Bearer <token>`).
#[utoipa::path(
    tag = "auth",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Logged in", body = LoginResponse,
            headers(("set-auth-token" = String, description = "Bearer token for API clients"))),
        (status = 400, description = "Missing credentials (`missing_credentials`) or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Invalid credentials (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The user is disabled (`account_disabled`), or a cross-site request (`csrf_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 423, description = "Account locked (`account_locked`); `lockedUntil` says until when", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address (`rate_limited`, the runtime `authPerMinute` limit); see `Retry-After`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 503, description = "The database is unavailable or password hashing is saturated (`service_unavailable`); see `Retry-After`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
    )
)]
#[post("/api/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    reject_cross_site(&req)?;
    let client = state.client_info(&req);
    let body = body.into_inner()?;
    let username = body.username.unwrap_or_default();
    let ip_key = format!("login:{}", client.ip.as_deref().unwrap_or("unknown"));
    if let Err(retry) = state
        .limiter
        .check(&ip_key, state.limits.current().auth_per_minute)
    {
        state
            .identity
            .record_rate_limited_login(&username, &client)
            .await?;
        return Err(ApiError::rate_limited(retry));
    }
    let cmd = LoginCommand {
        username,
        password: PlainPassword::new(body.password.unwrap_or_default()),
        client,
    };
    let ok = state.identity.login(cmd).await?;
    let mut res = with_session(&state, &ok)?;
    Ok(res.json(LoginResponse {
        ok: true,
        username: ok.user.username.to_string(),
        role: ok.user.role.as_str().to_owned(),
        must_change_password: ok.user.must_change_password,
        expires_at: iso(ok.session.expires_at),
    }))
}
