//! /api/guest-link-templates

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::GuestTemplateDto;
use super::path_id;
use crate::auth::CurrentUser;
use crate::json::Json;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::OkResponse;
use crate::routes::responses::{
    ForbiddenUser, ForbiddenUserCsrf, PayloadTooLarge, RateLimited, Unauthenticated, Unavailable,
    UnsupportedMediaType,
};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplatesResponse {
    pub templates: Vec<GuestTemplateDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateResponse {
    pub template: GuestTemplateDto,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTemplateBody {
    /// At most 100 characters.
    pub name: String,
    /// 1 to 2160 (90 days).
    #[schema(minimum = 1, maximum = 2160)]
    pub duration_hours: i64,
    /// 1 to 1000; absent or null for unlimited.
    #[schema(minimum = 1, maximum = 1000)]
    pub max_uses: Option<i64>,
}

/// The caller's templates, oldest first.
#[utoipa::path(tag = "guest-links", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The caller's templates", body = TemplatesResponse),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUser),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[get("/api/guest-link-templates")]
pub async fn list_templates(state: web::Data<AppState>, who: CurrentUser) -> Result<HttpResponse, ApiError> {
    let templates = state.guest.templates(who.0.actor()).await?;
    Ok(HttpResponse::Ok().json(TemplatesResponse {
        templates: templates.iter().map(GuestTemplateDto::from).collect(),
    }))
}

/// Creates a template: a duration and an optional use limit for new links.
#[utoipa::path(tag = "guest-links", request_body = CreateTemplateBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Created", body = TemplateResponse),
        (status = 400, description = "Invalid name, duration or use limit (`validation_failed`, `field` names it), or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[post("/api/guest-link-templates")]
pub async fn create_template(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: Json<CreateTemplateBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner()?;
    let template = state
        .guest
        .create_template(who.0.actor(), &b.name, b.duration_hours, b.max_uses)
        .await?;
    Ok(HttpResponse::Ok().json(TemplateResponse {
        template: GuestTemplateDto::from(&template),
    }))
}

/// Deletes a template; links made from it keep their values.
#[utoipa::path(tag = "guest-links", params(("id" = i64, Path, minimum = 1, description = "Template id")),
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Deleted", body = OkResponse),
        (status = 400, description = "An invalid id (`invalid_id`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 404, description = "No such template of the caller (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[delete("/api/guest-link-templates/{id}")]
pub async fn delete_template(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.guest.delete_template(who.0.actor(), path_id(&id)?).await?;
    Ok(HttpResponse::Ok().json(OkResponse::yes()))
}
