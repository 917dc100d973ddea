//! Linking: /api/ring/auth/{start,verify}, /api/ring/refresh-token[/test].

use actix_web::{HttpResponse, post, web};
use latchkey_application::ring::{LinkOutcome, StartLink};
use latchkey_domain::RingAccountId;
use latchkey_ports::{GatewayError, Secret};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
pub struct StartBody {
    pub email: String,
    #[schema(format = Password)]
    pub password: String,
    /// Relink this existing account instead of creating one.
    pub ring_account_id: Option<i64>,
    /// Label for a new account (default "Ring account").
    pub account_label: Option<String>,
}

/// Either a code is needed (`requires2fa: true` with `authSessionId`, `prompt`,
/// `expiresAt`) or the account is linked (`refreshToken`, `ringAccountId`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StartResponse {
    pub requires2fa: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_session_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ring_account_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyBody {
    pub auth_session_id: i64,
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkedResponse {
    pub refresh_token: String,
    pub ring_account_id: i64,
}

fn start_response(outcome: LinkOutcome) -> StartResponse {
    match outcome {
        LinkOutcome::CodeRequired {
            attempt_id,
            prompt,
            expires_at,
        } => StartResponse {
            requires2fa: true,
            auth_session_id: Some(attempt_id),
            prompt: Some(prompt),
            expires_at: Some(iso(expires_at)),
            refresh_token: None,
            ring_account_id: None,
        },
        LinkOutcome::Linked {
            refresh_token,
            account,
        } => StartResponse {
            requires2fa: false,
            auth_session_id: None,
            prompt: None,
            expires_at: None,
            refresh_token: Some(refresh_token.expose().to_owned()),
            ring_account_id: Some(account.id.0),
        },
    }
}

/// Starts Ring's login; Ring may ask for a two-factor code (sent by SMS, email or app).
#[utoipa::path(tag = "ring", request_body = StartBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Code required, or linked", body = StartResponse),
        (status = 400, description = "Invalid input (`validation_failed`, `invalid_body`), or Ring rejected the credentials (`ring_invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 404, description = "ringAccountId is not the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, description = "Too many requests from this user (`rate_limited`), or Ring refuses to send more verification codes for now (`ring_2fa_rate_limited`); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 502, description = "Ring failed or answered unexpectedly (`ring_unavailable`, `ring_unexpected`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Ring is rate-limiting (`ring_rate_limited`) or the database is unavailable (`service_unavailable`); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 504, description = "Ring did not answer in time (`ring_timeout`)", body = Problem, content_type = "application/problem+json")))]
#[post("/api/ring/auth/start")]
pub async fn start(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: Json<StartBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner()?;
    let cmd = StartLink {
        email: b.email,
        password: Secret::new(b.password),
        ring_account_id: b.ring_account_id.map(RingAccountId),
        account_label: b.account_label,
    };
    let outcome = state.ring.start_link(who.0.actor(), cmd).await?;
    Ok(HttpResponse::Ok().json(start_response(outcome)))
}

/// Completes Ring's login with the two-factor code.
#[utoipa::path(tag = "ring", request_body = VerifyBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Linked", body = LinkedResponse),
        (status = 400, description = "A malformed code (`validation_failed`) or body (`invalid_body`), a wrong code (`ring_2fa_invalid`), or Ring rejected the credentials (`ring_invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 404, description = "Unknown or expired auth session (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, description = "Too many requests from this user (`rate_limited`), or Ring refuses to send more verification codes for now (`ring_2fa_rate_limited`); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 502, description = "Ring failed or answered unexpectedly (`ring_unavailable`, `ring_unexpected`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Ring is rate-limiting (`ring_rate_limited`) or the database is unavailable (`service_unavailable`); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 504, description = "Ring did not answer in time (`ring_timeout`)", body = Problem, content_type = "application/problem+json")))]
#[post("/api/ring/auth/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: Json<VerifyBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner()?;
    match state
        .ring
        .verify_link(who.0.actor(), b.auth_session_id, &Secret::new(b.code))
        .await?
    {
        LinkOutcome::Linked {
            refresh_token,
            account,
        } => Ok(HttpResponse::Ok().json(LinkedResponse {
            refresh_token: refresh_token.expose().to_owned(),
            ring_account_id: account.id.0,
        })),
        LinkOutcome::CodeRequired { .. } => Err(ApiError::from(latchkey_application::AppError::Ring(
            GatewayError::Unexpected("code required again".into()),
        ))),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SaveTokenBody {
    pub refresh_token: String,
    pub ring_account_id: Option<i64>,
    pub account_label: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaveTokenResponse {
    pub ok: bool,
    pub ring_account_id: i64,
}

/// Saves (encrypted) a Ring refresh token on an account, creating the account if needed.
#[utoipa::path(tag = "ring", request_body = SaveTokenBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Saved", body = SaveTokenResponse),
        (status = 400, description = "Missing token or bad label (`validation_failed`), or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 404, description = "ringAccountId is not the caller's (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[post("/api/ring/refresh-token")]
pub async fn save_token(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: Json<SaveTokenBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner()?;
    let account = state
        .ring
        .save_refresh_token(
            who.0.actor(),
            &Secret::new(b.refresh_token),
            b.ring_account_id.map(RingAccountId),
            b.account_label.as_deref(),
        )
        .await?;
    Ok(HttpResponse::Ok().json(SaveTokenResponse {
        ok: true,
        ring_account_id: account.id.0,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TestTokenBody {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LocationDto {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TestTokenResponse {
    pub ok: bool,
    pub locations: Vec<LocationDto>,
}

/// Checks a refresh token against Ring by listing its locations. Nothing is stored.
#[utoipa::path(tag = "ring", request_body = TestTokenBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Ring accepts the token", body = TestTokenResponse),
        (status = 400, description = "Ring does not accept the token (`ring_token_invalid`), no token (`validation_failed`), or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 502, description = "Ring failed or answered unexpectedly (`ring_unavailable`, `ring_unexpected`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Ring is rate-limiting (`ring_rate_limited`) or the database is unavailable (`service_unavailable`); see `Retry-After`", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 504, description = "Ring did not answer in time (`ring_timeout`)", body = Problem, content_type = "application/problem+json")))]
#[post("/api/ring/refresh-token/test")]
pub async fn test_token(
    state: web::Data<AppState>,
    _who: CurrentUser,
    body: Json<TestTokenBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner()?;
    match state.ring.test_refresh_token(&Secret::new(b.refresh_token)).await {
        Ok(locations) => Ok(HttpResponse::Ok().json(TestTokenResponse {
            ok: true,
            locations: locations
                .into_iter()
                .map(|l| LocationDto {
                    id: l.id,
                    name: l.name,
                })
                .collect(),
        })),
        Err(latchkey_application::AppError::Ring(
            GatewayError::NeedsRelink | GatewayError::InvalidCredentials,
        )) => Err(
            ApiError::bad_request("ring_token_invalid", "Ring does not accept this refresh token")
                .field("refreshToken"),
        ),
        Err(e) => Err(e.into()),
    }
}
