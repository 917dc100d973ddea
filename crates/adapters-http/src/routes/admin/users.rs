//! GET and POST /api/admin/users

use actix_web::{HttpResponse, get, post, web};
use latchkey_application::CreateUserCommand;
use latchkey_domain::PlainPassword;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::AdminUser;
use crate::json::Json;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::UserDto;
use crate::routes::responses::{
    ForbiddenAdmin, ForbiddenAdminCsrf, PayloadTooLarge, RateLimited, Unauthenticated, Unavailable,
    UnsupportedMediaType,
};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct UsersResponse {
    pub users: Vec<UserDto>,
}

/// Lists users with their lockout status.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "All users", body = UsersResponse),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdmin),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[get("/api/admin/users")]
pub async fn list_users(state: web::Data<AppState>, admin: AdminUser) -> Result<HttpResponse, ApiError> {
    let users = state.admin.list(admin.0.actor()).await?;
    let now = OffsetDateTime::now_utc();
    Ok(HttpResponse::Ok().json(UsersResponse {
        users: users.iter().map(|u| UserDto::from_user(u, now)).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateUserBody {
    pub username: String,
    #[schema(format = Password)]
    pub password: String,
    /// `admin` or `user` (default).
    pub role: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub structure: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreateUserResponse {
    pub ok: bool,
    pub user: UserDto,
}

/// Creates an application user.
#[utoipa::path(
    tag = "admin",
    request_body = CreateUserBody,
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Created", body = CreateUserResponse),
        (status = 400, description = "A value the rules refuse (`validation_failed`, `field` names it), a taken username (`already_exists`), or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdminCsrf),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/admin/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    admin: AdminUser,
    body: Json<CreateUserBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner()?;
    let cmd = CreateUserCommand {
        username: b.username,
        password: PlainPassword::new(b.password),
        role: b.role,
        first_name: b.first_name,
        last_name: b.last_name,
        structure: b.structure,
    };
    let user = state.admin.create(admin.0.actor(), cmd).await?;
    Ok(HttpResponse::Ok().json(CreateUserResponse {
        ok: true,
        user: UserDto::from_user(&user, OffsetDateTime::now_utc()),
    }))
}
