//! Turning Ring's non-success answers into `RingError` (ring-protocol.md §1.5, §3, §6.1, §9).

use serde_json::Value;

use super::RawResponse;
use crate::error::RingError;
use crate::ids::HardwareId;
use crate::lenient::to_i64;

/// 404 `errors` code for an offline device (ring-client-api's `ASSET_OFFLINE`).
const ASSET_OFFLINE: i64 = 7019;

/// Which grant a token answer belongs to; the same status means different things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grant {
    Password { code_given: bool },
    Refresh,
}

/// Classifies a non-2xx answer of an API (non-token) call.
pub(crate) fn api_error(response: &RawResponse, hardware_id: &HardwareId) -> RingError {
    match response.status {
        401 => RingError::Unauthorized,
        404 => not_found(&response.json(), hardware_id),
        406 => RingError::Blocked,
        422 => RingError::Unprocessable,
        429 => RingError::RateLimited {
            retry_after: response.retry_after,
        },
        status @ 500..=599 => RingError::Unavailable { status },
        status => RingError::UnexpectedResponse {
            status,
            detail: "unexpected status".to_owned(),
        },
    }
}

/// A 404 naming our hardware id means "no session" (ring-client-api's test); a 404 with
/// error code 7019 means the device is offline; anything else is a plain not-found.
fn not_found(body: &Value, hardware_id: &HardwareId) -> RingError {
    let names_us = body
        .get("error")
        .and_then(Value::as_str)
        .is_some_and(|error| error.contains(hardware_id.as_str()));
    if names_us {
        return RingError::SessionNotFound;
    }
    let codes: Vec<i64> = match body.get("errors") {
        Some(Value::Array(items)) => items.iter().filter_map(to_i64).collect(),
        Some(single) => to_i64(single).into_iter().collect(),
        None => Vec::new(),
    };
    if codes.contains(&ASSET_OFFLINE) {
        RingError::DeviceOffline
    } else {
        RingError::NotFound
    }
}

/// Classifies a non-2xx answer of the token endpoint.
pub(crate) fn token_error(response: &RawResponse, grant: Grant) -> RingError {
    let body = response.json();
    let field = |name: &str| {
        body.get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (error, description) = (field("error"), field("error_description"));
    // Recognised by its body: Ring's status for it is unknown (§1.5).
    if description.contains("too many requests") || error.starts_with("error requesting 2fa service") {
        return RingError::TwoFactorRateLimited;
    }
    match (response.status, grant) {
        (412, Grant::Password { code_given: false }) if body.get("tsv_state").is_some() => {
            match serde_json::from_value(body) {
                Ok(challenge) => {
                    RingError::TwoFactorRequired(crate::two_factor::TwoFactorChallenge::from_body(challenge))
                }
                Err(_) => unexpected(412, "malformed 2FA challenge"),
            }
        }
        // An old report says a wrong code produced another 412 (§1.5); treat it as a wrong code.
        (412, Grant::Password { code_given: true }) => RingError::InvalidTwoFactorCode,
        (400, Grant::Password { .. }) if error.starts_with("Verification Code") => {
            RingError::InvalidTwoFactorCode
        }
        (401, Grant::Password { .. }) => RingError::InvalidCredentials,
        (400 | 401, Grant::Refresh) if response.status == 401 || error == "invalid_grant" => {
            RingError::NeedsRelink
        }
        (406, _) => RingError::Blocked,
        (429, _) => RingError::RateLimited {
            retry_after: response.retry_after,
        },
        (status @ 500..=599, _) => RingError::Unavailable { status },
        (status, _) => unexpected(status, &token_error_detail(&error)),
    }
}

/// Ring's OAuth `error` code, which is safe to show; never the rest of the body.
fn token_error_detail(error: &str) -> String {
    let safe: String = error
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(80)
        .collect();
    if safe.is_empty() {
        "token request refused".to_owned()
    } else {
        format!("token request refused: {safe}")
    }
}

fn unexpected(status: u16, detail: &str) -> RingError {
    RingError::UnexpectedResponse {
        status,
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn response(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            retry_after: None,
            body: body.as_bytes().to_vec(),
        }
    }

    fn hid() -> HardwareId {
        HardwareId::new("hid-1").unwrap()
    }

    #[test]
    fn session_404_is_recognised_by_the_hardware_id() {
        let body = json!({"error": "Session not found for hid-1"}).to_string();
        assert_eq!(
            api_error(&response(404, &body), &hid()),
            RingError::SessionNotFound
        );
        let other = json!({"error": "Session not found for someone-else"}).to_string();
        assert_eq!(api_error(&response(404, &other), &hid()), RingError::NotFound);
        assert_eq!(
            api_error(&response(404, r#"{"errors":[7019]}"#), &hid()),
            RingError::DeviceOffline
        );
        assert_eq!(api_error(&response(404, "<html>"), &hid()), RingError::NotFound);
    }

    #[test]
    fn token_errors_by_grant() {
        let password = Grant::Password { code_given: false };
        let with_code = Grant::Password { code_given: true };
        let denied = r#"{"error":"access_denied","error_description":"invalid user credentials"}"#;
        assert_eq!(
            token_error(&response(401, denied), password),
            RingError::InvalidCredentials
        );
        let grant = r#"{"error":"invalid_grant","error_description":"token is invalid or does not exists"}"#;
        assert_eq!(
            token_error(&response(401, grant), Grant::Refresh),
            RingError::NeedsRelink
        );
        assert_eq!(
            token_error(&response(400, grant), Grant::Refresh),
            RingError::NeedsRelink
        );
        let bad_code = r#"{"err_msg":"bad request response from dependency service","error":"Verification Code is invalid or expired"}"#;
        assert_eq!(
            token_error(&response(400, bad_code), with_code),
            RingError::InvalidTwoFactorCode
        );
        assert_eq!(
            token_error(&response(412, r#"{"tsv_state":"sms"}"#), with_code),
            RingError::InvalidTwoFactorCode
        );
        let limited = r#"{"error":"error requesting 2fa service to send code","error_description":"too many requests from dependency service"}"#;
        for status in [400, 429, 412] {
            assert_eq!(
                token_error(&response(status, limited), password),
                RingError::TwoFactorRateLimited
            );
        }
        assert_eq!(
            token_error(&response(406, "<html>406</html>"), password),
            RingError::Blocked
        );
        assert_eq!(
            token_error(&response(503, ""), Grant::Refresh),
            RingError::Unavailable { status: 503 }
        );
        assert!(matches!(
            token_error(&response(412, "{}"), password),
            RingError::UnexpectedResponse { status: 412, .. }
        ));
        assert!(matches!(
            token_error(&response(400, "{}"), Grant::Refresh),
            RingError::UnexpectedResponse { status: 400, .. }
        ));
    }

    #[test]
    fn unexpected_detail_never_echoes_the_body() {
        let body = r#"{"error":"invalid_request","access_token":"ey_secret"}"#;
        let error = token_error(&response(400, body), Grant::Refresh);
        assert!(!error.to_string().contains("ey_secret"));
        assert!(error.to_string().contains("invalid_request"));
    }
}
