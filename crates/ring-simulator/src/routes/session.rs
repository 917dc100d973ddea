//! `POST /clients_api/session`: registers a client device (keyed by hardware id) for an account.

use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::{apply_fault, authenticate, json_response, record};
use crate::faults::Endpoint;
use crate::render;
use crate::state::SimState;

pub(super) async fn create(state: web::Data<SimState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    record(&state, Endpoint::Session, &req, &body);
    if let Some(response) = apply_fault(&state, Endpoint::Session).await {
        return response;
    }
    let account = match authenticate(&state, &req) {
        Ok(account) => account,
        Err(rejection) => return rejection.into_response(),
    };
    // Body per ring-protocol.md §3: {"device":{"hardware_id":..,"metadata":{..},"os":..}}.
    let hardware_id = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| {
            v.pointer("/device/hardware_id")
                .and_then(|h| h.as_str().map(str::to_owned))
        })
        .filter(|h| !h.is_empty());
    let Some(hardware_id) = hardware_id else {
        return json_response(
            StatusCode::BAD_REQUEST,
            &json!({"error": "device.hardware_id is required"}),
        );
    };
    let mut inner = state.lock();
    inner.create_session(account, &hardware_id, Instant::now());
    inner.recorder.counters.sessions_created += 1;
    json_response(
        StatusCode::OK,
        &render::profile(&inner.accounts[account], &hardware_id),
    )
}
