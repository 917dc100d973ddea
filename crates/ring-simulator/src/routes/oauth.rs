//! `POST /oauth/token`: the password grant (with Ring's 412-based 2FA) and the refresh grant.
//!
//! Accepts both request styles real clients use (ring-protocol.md §1.1, §1.2): a JSON body
//! (ring-client-api) or a form body (python-ring-doorbell), with `client_id` in the body or
//! in HTTP Basic auth.

use std::collections::HashMap;
use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine as _;
use serde_json::json;

use super::{BLOCKED_HTML, apply_fault, header, json_response, record};
use crate::faults::Endpoint;
use crate::state::{IssuedTokens, PasswordOutcome, SimState};

pub(super) async fn token(state: web::Data<SimState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    record(&state, Endpoint::Token, &req, &body);
    let parsed = TokenRequest::parse(&req, &body);
    if let Ok(request) = &parsed {
        let mut inner = state.lock();
        match request.grant_type() {
            "password" => inner.recorder.counters.password_grants += 1,
            "refresh_token" => inner.recorder.counters.refresh_grants += 1,
            _ => {}
        }
    }
    if let Some(response) = apply_fault(&state, Endpoint::Token).await {
        return response;
    }
    // Ring answers unknown or empty user agents with its 406 page (ring-protocol.md §1.1).
    if state.settings.require_user_agent && header(&req, "user-agent").is_none_or(str::is_empty) {
        return HttpResponse::NotAcceptable()
            .content_type("text/html")
            .body(BLOCKED_HTML);
    }
    let request = match parsed {
        Ok(request) => request,
        Err(reason) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", reason),
    };
    if request.client_id.is_none() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "client_id is required",
        );
    }
    match request.grant_type() {
        "password" => password_grant(&state, &req, &request),
        "refresh_token" => refresh_grant(&state, &request),
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "unsupported grant type",
        ),
    }
}

fn password_grant(state: &SimState, req: &HttpRequest, request: &TokenRequest) -> HttpResponse {
    let code = header(req, "2fa-code").map(str::trim).filter(|c| !c.is_empty());
    let outcome = state.lock().password_grant(
        &state.settings,
        request.field("username"),
        request.field("password"),
        code,
        Instant::now(),
    );
    match outcome {
        PasswordOutcome::Issued(tokens) => token_response(&tokens),
        PasswordOutcome::BadCredentials => oauth_error(
            StatusCode::UNAUTHORIZED,
            "access_denied",
            "invalid user credentials",
        ),
        PasswordOutcome::CodeRequired { tsv_state, phone } => json_response(
            StatusCode::PRECONDITION_FAILED,
            &json!({"next_time_in_secs": 60, "phone": phone, "tsv_state": tsv_state}),
        ),
        PasswordOutcome::BadCode => json_response(
            StatusCode::BAD_REQUEST,
            &json!({
                "err_msg": "bad request response from dependency service",
                "error": "Verification Code is invalid or expired"
            }),
        ),
        PasswordOutcome::CodeRateLimited => {
            let status = StatusCode::from_u16(state.settings.code_rate_limit.status)
                .unwrap_or(StatusCode::TOO_MANY_REQUESTS);
            oauth_error(
                status,
                "error requesting 2fa service to send code",
                "too many requests from dependency service",
            )
        }
    }
}

fn refresh_grant(state: &SimState, request: &TokenRequest) -> HttpResponse {
    let issued = state
        .lock()
        .refresh_grant(&state.settings, request.field("refresh_token"), Instant::now());
    match issued {
        Some(tokens) => token_response(&tokens),
        None => oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_grant",
            "token is invalid or does not exists",
        ),
    }
}

fn token_response(tokens: &IssuedTokens) -> HttpResponse {
    json_response(
        StatusCode::OK,
        &json!({
            "access_token": tokens.access_token,
            "expires_in": tokens.expires_in,
            "refresh_token": tokens.refresh_token,
            "scope": "client",
            "token_type": "Bearer"
        }),
    )
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> HttpResponse {
    json_response(status, &json!({"error": error, "error_description": description}))
}

/// The fields of a token request, whatever its encoding.
struct TokenRequest {
    fields: HashMap<String, String>,
    client_id: Option<String>,
}

impl TokenRequest {
    fn parse(req: &HttpRequest, body: &[u8]) -> Result<Self, &'static str> {
        let content_type = header(req, "content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let fields = if content_type.starts_with("application/json") {
            let object: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(body).map_err(|_| "body is not a JSON object")?;
            object
                .into_iter()
                .map(|(key, value)| match value {
                    serde_json::Value::String(text) => Ok((key, text)),
                    _ => Err("token request fields must be strings"),
                })
                .collect::<Result<HashMap<_, _>, _>>()?
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            url::form_urlencoded::parse(body).into_owned().collect()
        } else {
            return Err("unsupported content type");
        };
        let client_id = fields.get("client_id").cloned().or_else(|| basic_auth_user(req));
        Ok(Self { fields, client_id })
    }

    fn grant_type(&self) -> &str {
        self.field("grant_type")
    }

    fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// The user part of `Authorization: Basic base64(user:secret)`.
fn basic_auth_user(req: &HttpRequest) -> Option<String> {
    let encoded = header(req, "authorization")?.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let user = text.split(':').next().unwrap_or_default();
    (!user.is_empty()).then(|| user.to_owned())
}
