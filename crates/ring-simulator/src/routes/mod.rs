//! HTTP routes (one file per endpoint) and the steps every handler shares: record the
//! request, apply an injected fault, check the bearer token and the session.

mod devices;
mod health;
mod locations;
mod oauth;
mod session;
mod unlock;

use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use crate::faults::{Endpoint, FaultAction};
use crate::record::RecordedRequest;
use crate::state::SimState;

/// Ring's 406 page (openresty HTML), as posted in dgreif/ring#337.
pub(crate) const BLOCKED_HTML: &str = "<html>\r\n<head><title>406 Not Acceptable</title></head>\r\n<body>\r\n<center><h1>406 Not Acceptable</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>\r\n";

/// Registers every simulated endpoint.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/oauth/token", web::post().to(oauth::token))
        .route("/clients_api/session", web::post().to(session::create))
        .route("/clients_api/ring_devices", web::get().to(devices::list))
        .route("/devices/v1/locations", web::get().to(locations::list))
        .route("/clients_api/doorbots/{id}/health", web::get().to(health::get))
        .route(
            "/commands/v1/devices/{id}/device_rpc",
            web::put().to(unlock::device_rpc),
        )
        .default_service(web::to(not_found));
}

/// Any other path: recorded, then 404.
async fn not_found(state: web::Data<SimState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    record(&state, Endpoint::Other, &req, &body);
    json_response(StatusCode::NOT_FOUND, &json!({"error": "not found"}))
}

/// Stores the request and counts it for its endpoint.
pub(crate) fn record(state: &SimState, endpoint: Endpoint, req: &HttpRequest, body: &[u8]) {
    let headers = req
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |pq| pq.to_string());
    state.lock().recorder.record(RecordedRequest {
        seq: 0,
        endpoint,
        method: req.method().to_string(),
        path,
        headers,
        body: String::from_utf8_lossy(body).into_owned(),
    });
}

/// Applies the next injected fault of `endpoint`, if any. `Some` is the response to send
/// instead of the normal one.
pub(crate) async fn apply_fault(state: &SimState, endpoint: Endpoint) -> Option<HttpResponse> {
    let fault = state
        .lock()
        .faults
        .get_mut(&endpoint)
        .and_then(|queue| queue.next())?;
    if let Some(delay) = fault.delay {
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = state.stopped() => return Some(HttpResponse::ServiceUnavailable().finish()),
        }
    }
    match fault.action {
        FaultAction::PassThrough => None,
        FaultAction::Hang => {
            state.stopped().await;
            Some(HttpResponse::ServiceUnavailable().finish())
        }
        FaultAction::Drop => {
            // A failing body stream makes actix abort the connection (before or after the
            // status line, depending on buffering: either way the answer is incomplete).
            let chunks: [Result<web::Bytes, actix_web::Error>; 2] = [
                Ok(web::Bytes::from_static(b"{\"id\":")),
                Err(actix_web::error::ErrorInternalServerError(
                    "simulated connection drop",
                )),
            ];
            Some(
                HttpResponse::Ok()
                    .content_type("application/json")
                    .streaming(futures::stream::iter(chunks)),
            )
        }
        FaultAction::Respond {
            status,
            body,
            content_type,
            headers,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = HttpResponse::build(status);
            response.content_type(content_type);
            for (name, value) in headers {
                response.insert_header((name, value));
            }
            Some(response.body(body))
        }
    }
}

/// A header as text; absent or non-UTF-8 values are `None`.
pub(crate) fn header<'r>(req: &'r HttpRequest, name: &str) -> Option<&'r str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Why an API request was refused before reaching its handler's own logic.
pub(crate) enum Rejection {
    /// Missing, unknown or expired access token.
    Unauthorized,
    /// No session for this hardware id.
    NoSession(String),
}

impl Rejection {
    pub(crate) fn into_response(self) -> HttpResponse {
        match self {
            Self::Unauthorized => unauthorized(),
            Self::NoSession(hardware_id) => session_not_found(&hardware_id),
        }
    }
}

/// The account of the request's bearer token, or Ring's 401.
pub(crate) fn authenticate(state: &SimState, req: &HttpRequest) -> Result<usize, Rejection> {
    let token = header(req, "authorization")
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")));
    token
        .and_then(|token| state.lock().authenticate(token, Instant::now()))
        .ok_or(Rejection::Unauthorized)
}

/// The request's `hardware_id` if it has a live session for `account`; otherwise the 404
/// that names the hardware id (which tells clients to create a session).
pub(crate) fn require_session(
    state: &SimState,
    req: &HttpRequest,
    account: usize,
) -> Result<String, Rejection> {
    let hardware_id = header(req, "hardware_id").unwrap_or_default().to_owned();
    if state
        .lock()
        .has_session(&state.settings, account, &hardware_id, Instant::now())
    {
        Ok(hardware_id)
    } else {
        Err(Rejection::NoSession(hardware_id))
    }
}

/// Ring's 401 on API calls (shape seen in dgreif/ring#718).
pub(crate) fn unauthorized() -> HttpResponse {
    json_response(
        StatusCode::UNAUTHORIZED,
        &json!({"error": "Unauthorized", "status_code": 401}),
    )
}

/// RCA-MOCK's model of the "no session for this hardware id" answer.
pub(crate) fn session_not_found(hardware_id: &str) -> HttpResponse {
    json_response(
        StatusCode::NOT_FOUND,
        &json!({"error": format!("Session not found for {hardware_id}")}),
    )
}

pub(crate) fn json_response(status: StatusCode, body: &serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json")
        .body(body.to_string())
}
