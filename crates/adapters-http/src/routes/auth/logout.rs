//! POST /api/auth/logout

use actix_web::{HttpResponse, post, web};

use crate::auth::Authenticated;
use crate::problem::ApiError;
use crate::routes::dto::OkResponse;
use crate::routes::responses::{ForbiddenCsrf, RateLimited, Unauthenticated, Unavailable};
use crate::state::AppState;

/// Destroys the current session at once; its cookie and bearer token stop working.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Logged out", body = OkResponse),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenCsrf),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/auth/logout")]
pub async fn logout(state: web::Data<AppState>, who: Authenticated) -> Result<HttpResponse, ApiError> {
    state.identity.logout(&who.0).await?;
    Ok(HttpResponse::Ok()
        .cookie(state.cookies.clear_session())
        .json(OkResponse::yes()))
}
