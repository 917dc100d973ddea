//! `GET /clients_api/ring_devices`: the account's devices (intercoms are under `other`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::{apply_fault, authenticate, json_response, record, require_session};
use crate::faults::Endpoint;
use crate::render;
use crate::state::SimState;

pub(super) async fn list(state: web::Data<SimState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    record(&state, Endpoint::Devices, &req, &body);
    if let Some(response) = apply_fault(&state, Endpoint::Devices).await {
        return response;
    }
    let account = match authenticate(&state, &req) {
        Ok(account) => account,
        Err(rejection) => return rejection.into_response(),
    };
    if let Err(rejection) = require_session(&state, &req, account) {
        return rejection.into_response();
    }
    json_response(
        StatusCode::OK,
        &render::ring_devices(&state.lock().accounts[account]),
    )
}
