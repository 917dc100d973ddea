//! Extractors that authenticate a request before the handler runs.
//!
//! Order of checks: find the token (bearer header first, then the session cookie) →
//! for cookie-carrying mutating requests, CSRF and Fetch Metadata → signature and
//! expiry → live session row → per-user rate limit → role / must-change rules.

use actix_web::dev::Payload;
use actix_web::http::{Method, StatusCode, header};
use actix_web::{FromRequest, HttpRequest, web};
use futures::future::LocalBoxFuture;
use latchkey_application::{AppError, Principal};
use latchkey_domain::Role;

use super::{csrf, token};
use crate::problem::ApiError;
use crate::state::AppState;

/// Any live session, including one that must change its password first.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Principal);

/// A live session that may use the service (no pending password change).
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Principal);

/// A [`CurrentUser`] who is an administrator.
#[derive(Debug, Clone)]
pub struct AdminUser(pub Principal);

pub(crate) fn state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error"))
}

pub(crate) fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

fn is_mutating(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses requests a browser marks as coming from another site (Fetch Metadata).
pub(crate) fn reject_cross_site(req: &HttpRequest) -> Result<(), ApiError> {
    let cross = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site");
    if cross {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "csrf_failed").detail("cross-site request refused"));
    }
    Ok(())
}

fn check_csrf(req: &HttpRequest, state: &AppState) -> Result<(), ApiError> {
    reject_cross_site(req)?;
    let nonce = req.cookie(state.cookies.csrf_secret);
    let sent = req.headers().get(csrf::HEADER).and_then(|v| v.to_str().ok());
    if csrf::verify(&state.keys, nonce.as_ref().map(|c| c.value()), sent) {
        Ok(())
    } else {
        Err(ApiError::new(StatusCode::FORBIDDEN, "csrf_failed")
            .detail("send the token from GET /api/auth/csrf in the X-CSRF-Token header"))
    }
}

async fn authenticate(req: HttpRequest) -> Result<Principal, ApiError> {
    let state = state(&req)?;
    let cookie = req
        .cookie(state.cookies.session)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty());
    // A request carrying the session cookie can be forged by another site, so it
    // needs the CSRF token even if it also carries a bearer token.
    if cookie.is_some() && is_mutating(req.method()) {
        check_csrf(&req, &state)?;
    }
    let raw = bearer(&req).or(cookie).ok_or_else(ApiError::unauthenticated)?;
    let secret = token::verify(&state.keys, &raw).ok_or_else(ApiError::unauthenticated)?;
    let principal = state.identity.authenticate(&secret).await?;
    let limit = state.limits.current().auth_per_minute;
    state
        .limiter
        .check(&format!("user:{}", principal.user.id), limit)
        .map_err(ApiError::rate_limited)?;
    Ok(principal)
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(req).await.map(Authenticated) })
    }
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let p = authenticate(req).await?;
            if p.user.must_change_password {
                return Err(AppError::PasswordChangeRequired.into());
            }
            Ok(CurrentUser(p))
        })
    }
}

impl FromRequest for AdminUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let p = authenticate(req).await?;
            if p.user.role != Role::Admin {
                return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden").detail("administrators only"));
            }
            if p.user.must_change_password {
                return Err(AppError::PasswordChangeRequired.into());
            }
            Ok(AdminUser(p))
        })
    }
}
