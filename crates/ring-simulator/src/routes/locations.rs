//! `GET /devices/v1/locations`: the account's locations.
//!
//! Needs only a valid token, no session: ring-client-api calls it first, before any
//! `clients_api` call could have created a session (ring-protocol.md §3, §5).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::{apply_fault, authenticate, json_response, record};
use crate::faults::Endpoint;
use crate::render;
use crate::state::SimState;

pub(super) async fn list(state: web::Data<SimState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    record(&state, Endpoint::Locations, &req, &body);
    if let Some(response) = apply_fault(&state, Endpoint::Locations).await {
        return response;
    }
    match authenticate(&state, &req) {
        Ok(account) => json_response(
            StatusCode::OK,
            &render::locations(&state.lock().accounts[account]),
        ),
        Err(rejection) => rejection.into_response(),
    }
}
