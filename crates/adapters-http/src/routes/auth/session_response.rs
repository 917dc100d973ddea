//! How a new session is handed to the client: a cookie for browsers and the
//! `set-auth-token` header (as Better Auth's bearer plugin does) for API clients.

use actix_web::HttpResponseBuilder;
use actix_web::http::StatusCode;
use latchkey_application::LoginSuccess;

use crate::auth::token;
use crate::problem::ApiError;
use crate::state::AppState;

pub const TOKEN_HEADER: &str = "set-auth-token";

pub fn with_session(state: &AppState, login: &LoginSuccess) -> Result<HttpResponseBuilder, ApiError> {
    let jwt = token::issue(&state.keys, login).map_err(|e| {
        tracing::error!(error = %e, "could not sign a session token");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
    })?;
    let max_age = (login.session.expires_at - login.session.created_at).whole_seconds();
    let mut res = actix_web::HttpResponse::Ok();
    res.cookie(state.cookies.session(jwt.clone(), max_age));
    res.insert_header((TOKEN_HEADER, jwt));
    res.insert_header(("access-control-expose-headers", TOKEN_HEADER));
    Ok(res)
}
