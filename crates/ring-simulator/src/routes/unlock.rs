//! `PUT /commands/v1/devices/{id}/device_rpc`: the intercom `unlock_door` JSON-RPC.
//!
//! Checks are strict on purpose, so a client that drifts from the real wire format fails here
//! first. Ring answers malformed unlocks with `422` and a blank body (ring-protocol.md §6.1);
//! the simulator does the same for a wrong content type, a missing `hardware_id` and a body
//! that is not exactly the `unlock_door` RPC.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use super::{apply_fault, authenticate, header, json_response, record, require_session};
use crate::faults::Endpoint;
use crate::state::SimState;

/// `ASSET_OFFLINE`, one of the 404 `errors` codes ring-client-api knows (ring-protocol.md §9).
const ASSET_OFFLINE: i64 = 7019;

pub(super) async fn device_rpc(
    state: web::Data<SimState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    record(&state, Endpoint::Unlock, &req, &body);
    let device_id = path.parse::<i64>().ok();
    if let Some(id) = device_id {
        *state.lock().recorder.counters.unlock_calls.entry(id).or_default() += 1;
    }
    if let Some(response) = apply_fault(&state, Endpoint::Unlock).await {
        return response;
    }
    let account = match authenticate(&state, &req) {
        Ok(account) => account,
        Err(rejection) => return rejection.into_response(),
    };
    let is_json = header(&req, "content-type")
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/json"));
    if !is_json || header(&req, "hardware_id").is_none_or(str::is_empty) {
        return unprocessable();
    }
    if let Err(rejection) = require_session(&state, &req, account) {
        return rejection.into_response();
    }
    let mut inner = state.lock();
    let device = device_id
        .and_then(|id| inner.accounts[account].spec.devices.iter().find(|d| d.id == id))
        .cloned();
    let Some(device) = device else {
        return json_response(StatusCode::NOT_FOUND, &json!({"error": "Device not found"}));
    };
    let Some(request_id) = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| unlock_request_id(&v))
    else {
        return unprocessable();
    };
    if !device.kind.starts_with("intercom_handset") {
        return unprocessable();
    }
    if !device.online {
        return json_response(StatusCode::NOT_FOUND, &json!({"errors": [ASSET_OFFLINE]}));
    }
    *inner.recorder.counters.doors_opened.entry(device.id).or_default() += 1;
    drop(inner);
    tracing::info!(device_id = device.id, "simulated door unlocked");
    json_response(
        StatusCode::OK,
        &json!({"id": request_id, "jsonrpc": "2.0", "result": {"code": 0}}),
    )
}

/// Ring's answer to a malformed unlock: 422 with a blank body.
fn unprocessable() -> HttpResponse {
    HttpResponse::UnprocessableEntity().body(" ")
}

/// Validates the RPC body and returns the request `id` to echo (null when absent).
///
/// Accepted: `{"command_name":"device_rpc","request":{"jsonrpc":"2.0","method":"unlock_door",
/// "params":{"door_id":0,"user_id":<int>}}}`, optionally with `request.id` (string) and
/// `params.issue_time` / `params.command_timeout` (numbers), as the two known clients send.
fn unlock_request_id(body: &Value) -> Option<Value> {
    let top = body.as_object()?;
    let only_keys = |object: &serde_json::Map<String, Value>, allowed: &[&str]| {
        object.keys().all(|k| allowed.contains(&k.as_str()))
    };
    if top.len() != 2 || top.get("command_name")?.as_str()? != "device_rpc" {
        return None;
    }
    let request = top.get("request")?.as_object()?;
    if !only_keys(request, &["jsonrpc", "method", "params", "id"])
        || request.get("jsonrpc")?.as_str()? != "2.0"
        || request.get("method")?.as_str()? != "unlock_door"
    {
        return None;
    }
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    if !(id.is_null() || id.is_string()) {
        return None;
    }
    let params = request.get("params")?.as_object()?;
    let optional_number = |key: &str| params.get(key).is_none_or(Value::is_number);
    let valid_params = only_keys(params, &["door_id", "user_id", "issue_time", "command_timeout"])
        && params.get("door_id")?.as_i64()? == 0
        && params.get("user_id")?.as_i64().is_some()
        && optional_number("issue_time")
        && optional_number("command_timeout");
    valid_params.then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rca_body() -> Value {
        json!({"command_name":"device_rpc","request":{"jsonrpc":"2.0","method":"unlock_door","params":{"door_id":0,"user_id":0}}})
    }

    #[test]
    fn accepts_both_known_client_bodies() {
        assert_eq!(unlock_request_id(&rca_body()), Some(Value::Null));
        let prd = json!({"command_name":"device_rpc","request":{"id":"abc","jsonrpc":"2.0","method":"unlock_door","params":{"door_id":0,"user_id":-1}}});
        assert_eq!(unlock_request_id(&prd), Some(json!("abc")));
    }

    #[test]
    fn rejects_drifted_bodies() {
        let mut wrong_method = rca_body();
        wrong_method["request"]["method"] = json!("lock_door");
        let mut wrong_door = rca_body();
        wrong_door["request"]["params"]["door_id"] = json!(1);
        let mut extra_key = rca_body();
        extra_key["extra"] = json!(true);
        let mut string_user = rca_body();
        string_user["request"]["params"]["user_id"] = json!("0");
        for body in [wrong_method, wrong_door, extra_key, string_user, json!(null)] {
            assert_eq!(unlock_request_id(&body), None, "{body}");
        }
    }
}
