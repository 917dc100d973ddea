//! Liveness and readiness probes.

use actix_web::{HttpResponse, get, web};

use super::dto::OkResponse;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// Liveness: the process answers. Touches nothing else.
#[utoipa::path(tag = "health", responses((status = 200, description = "Alive", body = OkResponse)))]
#[get("/api/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(OkResponse::yes())
}

/// Readiness: the database answers. 503 while it does not.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Ready to serve", body = OkResponse),
        (status = 503, description = "Database unreachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.readiness.check().await?;
    Ok(HttpResponse::Ok().json(OkResponse::yes()))
}
