//! GET /api/auth/me

use actix_web::{HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::problem::ApiError;
use crate::routes::responses::{RateLimited, Unauthenticated, Unavailable};

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeResponse {
    pub username: String,
    /// `admin` or `user`.
    pub role: String,
    pub id: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub structure: Option<String>,
    pub must_change_password: bool,
}

/// Returns the logged-in user.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The current user", body = MeResponse),
        (status = 401, response = Unauthenticated),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/auth/me")]
pub async fn me(who: Authenticated) -> Result<HttpResponse, ApiError> {
    let u = &who.0.user;
    Ok(HttpResponse::Ok().json(MeResponse {
        username: u.username.to_string(),
        role: u.role.as_str().to_owned(),
        id: u.id.0,
        first_name: u.first_name.as_deref().map(str::to_owned),
        last_name: u.last_name.as_deref().map(str::to_owned),
        structure: u.structure.as_deref().map(str::to_owned),
        must_change_password: u.must_change_password,
    }))
}
