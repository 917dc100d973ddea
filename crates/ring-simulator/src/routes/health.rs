//! `GET /clients_api/doorbots/{id}/health`: health of one of the account's devices.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::{apply_fault, authenticate, json_response, record, require_session};
use crate::faults::Endpoint;
use crate::render;
use crate::state::SimState;

pub(super) async fn get(
    state: web::Data<SimState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    record(&state, Endpoint::Health, &req, &body);
    if let Some(response) = apply_fault(&state, Endpoint::Health).await {
        return response;
    }
    let account = match authenticate(&state, &req) {
        Ok(account) => account,
        Err(rejection) => return rejection.into_response(),
    };
    if let Err(rejection) = require_session(&state, &req, account) {
        return rejection.into_response();
    }
    let inner = state.lock();
    let device = path
        .parse::<i64>()
        .ok()
        .and_then(|id| inner.accounts[account].spec.devices.iter().find(|d| d.id == id));
    match device {
        Some(device) => json_response(StatusCode::OK, &render::health(device)),
        None => json_response(StatusCode::NOT_FOUND, &json!({"error": "Device not found"})),
    }
}
