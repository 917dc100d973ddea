//! /api/ring/accounts

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{RingAccountDto, account_id};
use crate::auth::CurrentUser;
use crate::json::Json;
use crate::problem::{ApiError, Problem};
use crate::routes::dto::OkResponse;
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
        (status = 401, description = "Not authenticated", body = Problem, content_type = "application/problem+json")))]
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
        (status = 400, description = "Invalid label", body = Problem, content_type = "application/problem+json")))]
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
#[utoipa::path(tag = "ring", params(("id" = i64, Path, description = "Ring account id")), request_body = UpdateAccountBody,
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Updated", body = AccountResponse),
        (status = 400, description = "Invalid id or value", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account of the caller", body = Problem, content_type = "application/problem+json")))]
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
#[utoipa::path(tag = "ring", params(("id" = i64, Path, description = "Ring account id")),
    security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, description = "Deleted", body = OkResponse),
        (status = 404, description = "No such account of the caller", body = Problem, content_type = "application/problem+json")))]
#[delete("/api/ring/accounts/{id}")]
pub async fn delete_account(
    state: web::Data<AppState>,
    who: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.ring.delete_account(who.0.actor(), account_id(&id)?).await?;
    Ok(HttpResponse::Ok().json(OkResponse::yes()))
}
