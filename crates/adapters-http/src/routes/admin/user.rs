//! /api/admin/users/{id}: update, disable, delete, reset password, clear lockout.

use actix_web::{HttpResponse, delete, post, put, web};
use latchkey_application::UpdateUserCommand;
use latchkey_domain::PlainPassword;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::AdminUser;
use crate::json::Json;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::{OkResponse, UserDto, parse_id};
use crate::routes::responses::{
    ForbiddenAdminCsrf, PayloadTooLarge, RateLimited, Unauthenticated, Unavailable, UnsupportedMediaType,
};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateUserBody {
    pub username: Option<String>,
    /// A new password; ends the user's sessions.
    #[schema(format = Password)]
    pub password: Option<String>,
    /// An empty string clears the value.
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub structure: Option<String>,
    /// `true` disables the account and ends its sessions.
    pub disabled: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateUserResponse {
    pub ok: bool,
    pub user: UserDto,
}

/// Updates a user's profile, password and disabled flag.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, minimum = 1, description = "User id")),
    request_body = UpdateUserBody,
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Updated", body = UpdateUserResponse),
        (status = 400, description = "An invalid id (`invalid_id`), a value the rules refuse (`validation_failed`, `field` names it), a taken username (`already_exists`), disabling oneself (`cannot_disable_self`), or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdminCsrf),
        (status = 404, description = "User not found (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[put("/api/admin/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    admin: AdminUser,
    id: web::Path<String>,
    body: Json<UpdateUserBody>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&id)?;
    let b = body.into_inner()?;
    let cmd = UpdateUserCommand {
        username: b.username,
        password: b.password.map(PlainPassword::new),
        first_name: b.first_name,
        last_name: b.last_name,
        structure: b.structure,
        disabled: b.disabled,
    };
    let user = state.admin.update(admin.0.actor(), id, cmd).await?;
    Ok(HttpResponse::Ok().json(UpdateUserResponse {
        ok: true,
        user: UserDto::from_user(&user, OffsetDateTime::now_utc()),
    }))
}

/// Disables a user (the seed's soft delete); their sessions end at once.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, minimum = 1, description = "User id")),
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Disabled", body = OkResponse),
        (status = 400, description = "An invalid id (`invalid_id`), or disabling oneself (`cannot_disable_self`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdminCsrf),
        (status = 404, description = "User not found (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[delete("/api/admin/users/{id}")]
pub async fn disable_user(
    state: web::Data<AppState>,
    admin: AdminUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.admin.disable(admin.0.actor(), parse_id(&id)?).await?;
    Ok(HttpResponse::Ok().json(OkResponse::yes()))
}

/// Permanently deletes a non-admin user and their data.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, minimum = 1, description = "User id")),
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Deleted", body = OkResponse),
        (status = 400, description = "An invalid id (`invalid_id`), or deleting oneself (`cannot_delete_self`) or an administrator (`cannot_delete_admin`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdminCsrf),
        (status = 404, description = "User not found (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[delete("/api/admin/users/{id}/permanent")]
pub async fn delete_user_permanently(
    state: web::Data<AppState>,
    admin: AdminUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state
        .admin
        .delete_permanently(admin.0.actor(), parse_id(&id)?)
        .await?;
    Ok(HttpResponse::Ok().json(OkResponse::yes()))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResetPasswordResponse {
    pub ok: bool,
    /// Shown once; the user must change it at next login.
    pub temp_password: String,
}

/// Resets a non-admin user's password to a random temporary one. Their sessions end,
/// any lockout is cleared, and they must change it at next login.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, minimum = 1, description = "User id")),
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Reset", body = ResetPasswordResponse),
        (status = 400, description = "An invalid id (`invalid_id`), or the user is an administrator (`cannot_reset_admin`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdminCsrf),
        (status = 404, description = "User not found (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/admin/users/{id}/reset-password")]
pub async fn reset_password(
    state: web::Data<AppState>,
    admin: AdminUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let temp = state
        .admin
        .reset_password(admin.0.actor(), parse_id(&id)?)
        .await?;
    Ok(HttpResponse::Ok().json(ResetPasswordResponse {
        ok: true,
        temp_password: temp.expose().to_owned(),
    }))
}

/// Clears a user's lockout before it ends by itself.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, minimum = 1, description = "User id")),
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Lockout cleared", body = UpdateUserResponse),
        (status = 400, description = "An invalid id (`invalid_id`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenAdminCsrf),
        (status = 404, description = "User not found (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable),
    )
)]
#[post("/api/admin/users/{id}/unlock")]
pub async fn unlock_user(
    state: web::Data<AppState>,
    admin: AdminUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let user = state.admin.unlock(admin.0.actor(), parse_id(&id)?).await?;
    Ok(HttpResponse::Ok().json(UpdateUserResponse {
        ok: true,
        user: UserDto::from_user(&user, OffsetDateTime::now_utc()),
    }))
}
