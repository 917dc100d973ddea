//! /api/ring/accounts

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{RingAccountDto, account_id};
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
pub struct AccountsResponse {
    pub accounts: Vec<RingAccountDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountResponse {
    pub account: RingAccountDto,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccountBody {
    pub label: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateAccountBody {
    pub label: Option<String>,
    /// `true` makes this the default account (the others lose the flag).
    pub is_default: Option<bool>,
}

/// Lists the caller's Ring accounts.
#[utoipa::path(tag = "ring", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "The caller's live accounts", body = AccountsResponse),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUser),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[get("/api/ring/accounts")]
pub async fn list_accounts(state: web::Data<AppState>, who: CurrentUser) -> Result<HttpResponse, ApiError> {
    let accounts = state.ring.accounts(who.0.actor()).await?;
    Ok(HttpResponse::Ok().json(AccountsResponse {
        accounts: accounts.iter().map(RingAccountDto::from).collect(),
    }))
}

/// Creates a (not yet linked) Ring account entry; the first one is the default.
#[utoipa::path(tag = "ring", request_body = CreateAccountBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Created", body = AccountResponse),
        (status = 400, description = "An invalid label (`validation_failed`), or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[post("/api/ring/accounts")]
pub async fn create_account(
    state: web::Data<AppState>,
    who: CurrentUser,
    body: Json<CreateAccountBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner()?;
    let account = state.ring.create_account(who.0.actor(), &body.label).await?;
    Ok(HttpResponse::Ok().json(AccountResponse {
        account: RingAccountDto::from(&account),
    }))
}

/// Renames an account or makes it the default.
#[utoipa::path(tag = "ring", params(("id" = i64, Path, minimum = 1, description = "Ring account id")), request_body = UpdateAccountBody,
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Updated", body = AccountResponse),
        (status = 400, description = "An invalid id (`invalid_id`) or value (`validation_failed`), or a malformed body (`invalid_body`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 404, description = "No such account of the caller (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[patch("/api/ring/accounts/{id}")]
pub async fn update_account(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
    body: Json<UpdateAccountBody>,
) -> Result<HttpResponse, ApiError> {
    let id = account_id(&id)?;
    let body = body.into_inner()?;
    let account = state
        .ring
        .update_account(who.0.actor(), id, body.label.as_deref(), body.is_default)
        .await?;
    Ok(HttpResponse::Ok().json(AccountResponse {
        account: RingAccountDto::from(&account),
    }))
}

/// Disables (soft-deletes) an account; its stored token is erased.
#[utoipa::path(tag = "ring", params(("id" = i64, Path, minimum = 1, description = "Ring account id")),
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Deleted", body = OkResponse),
        (status = 400, description = "An invalid id (`invalid_id`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = Unauthenticated),
        (status = 403, response = ForbiddenUserCsrf),
        (status = 404, description = "No such account of the caller (`not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, response = RateLimited),
        (status = 503, response = Unavailable)))]
#[delete("/api/ring/accounts/{id}")]
pub async fn delete_account(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.ring.delete_account(who.0.actor(), account_id(&id)?).await?;
    Ok(HttpResponse::Ok().json(OkResponse::yes()))
}
