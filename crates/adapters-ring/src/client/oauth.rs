//! `POST /oauth/token`: password grant (with 2FA) and refresh grant, sent the way
//! ring-client-api sends them (JSON body, `2fa-support`, `2fa-code`, `hardware_id`, §1.1).

use std::time::Duration;

use reqwest::header::ACCEPT;
use serde::Serialize;

use super::classify::{Grant, token_error};
use super::{HARDWARE_ID, RingClient, send};
use crate::error::RingError;
use crate::ids::HardwareId;
use crate::model::{AuthTokens, TokenBody};
use crate::secret::RingSecret;

#[derive(Serialize)]
struct PasswordGrantBody<'a> {
    client_id: &'a str,
    scope: &'a str,
    grant_type: &'a str,
    username: &'a str,
    password: &'a str,
}

#[derive(Serialize)]
struct RefreshGrantBody<'a> {
    client_id: &'a str,
    scope: &'a str,
    grant_type: &'a str,
    refresh_token: &'a str,
}

impl RingClient {
    /// Logs in with email and password, plus the verification code on the second attempt.
    ///
    /// # Errors
    /// `TwoFactorRequired` (the 412) with the prompt to show: call again with the code.
    /// `InvalidCredentials`, `InvalidTwoFactorCode`, `TwoFactorRateLimited`, `Blocked` (406),
    /// `RateLimited`, `Unavailable`, `Timeout`, `Unreachable`/`Network`, `UnexpectedResponse`.
    pub async fn password_grant(
        &self,
        hardware_id: &HardwareId,
        email: &str,
        password: &RingSecret,
        code: Option<&RingSecret>,
    ) -> Result<AuthTokens, RingError> {
        let code = code.filter(|c| !c.is_empty());
        let body = PasswordGrantBody {
            client_id: &self.config.client_id,
            scope: "client",
            grant_type: "password",
            username: email,
            password: password.expose(),
        };
        let request = self.token_request(hardware_id, code).json(&body);
        let response = send(request).await?;
        let grant = Grant::Password {
            code_given: code.is_some(),
        };
        if !response.is_success() {
            return Err(token_error(&response, grant));
        }
        tokens(response.status, &response.body, None)
    }

    /// Exchanges a refresh token for new tokens. Ring may rotate the refresh token: store the
    /// returned one before using the access token.
    ///
    /// # Errors
    /// `NeedsRelink` when the token is invalid, expired or revoked (never retried);
    /// `Blocked`, `RateLimited`, `Unavailable`, `Timeout`, `Unreachable`/`Network`,
    /// `UnexpectedResponse`.
    pub async fn refresh_grant(
        &self,
        hardware_id: &HardwareId,
        refresh_token: &RingSecret,
    ) -> Result<AuthTokens, RingError> {
        let body = RefreshGrantBody {
            client_id: &self.config.client_id,
            scope: "client",
            grant_type: "refresh_token",
            refresh_token: refresh_token.expose(),
        };
        let response = send(self.token_request(hardware_id, None).json(&body)).await?;
        if !response.is_success() {
            return Err(token_error(&response, Grant::Refresh));
        }
        tokens(response.status, &response.body, Some(refresh_token))
    }

    fn token_request(&self, hardware_id: &HardwareId, code: Option<&RingSecret>) -> reqwest::RequestBuilder {
        self.http
            .get()
            .post(self.token_url.clone())
            .timeout(self.config.request_timeout)
            .header(ACCEPT, "application/json")
            .header("2fa-support", "true")
            // ring-client-api always sends the header, empty when there is no code.
            .header("2fa-code", code.map_or("", RingSecret::expose))
            .header(HARDWARE_ID, hardware_id.as_str())
    }
}

/// Reads a 2xx token answer. A refresh answer without a `refresh_token` keeps the old one
/// (no rotation happened); a password answer must contain one.
fn tokens(status: u16, body: &[u8], previous_refresh: Option<&RingSecret>) -> Result<AuthTokens, RingError> {
    let unexpected = |detail: &str| RingError::UnexpectedResponse {
        status,
        detail: detail.to_owned(),
    };
    let parsed: TokenBody =
        serde_json::from_slice(body).map_err(|_| unexpected("token answer is not JSON"))?;
    if parsed
        .token_type
        .as_deref()
        .is_some_and(|t| !t.eq_ignore_ascii_case("bearer"))
    {
        return Err(unexpected("token type is not bearer"));
    }
    let access_token = parsed
        .access_token
        .filter(|t| !t.is_empty())
        .map(RingSecret::from)
        .ok_or_else(|| unexpected("token answer has no access_token"))?;
    let refresh_token = match (parsed.refresh_token.filter(|t| !t.is_empty()), previous_refresh) {
        (Some(new), _) => RingSecret::from(new),
        (None, Some(previous)) => previous.clone(),
        (None, None) => return Err(unexpected("token answer has no refresh_token")),
    };
    let expires_in = parsed
        .expires_in
        .map_or(crate::model::DEFAULT_EXPIRES_IN, Duration::from_secs);
    Ok(AuthTokens {
        access_token,
        refresh_token,
        expires_in,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_answers_are_read_tolerantly() {
        let body = br#"{"access_token":"a","refresh_token":"r","expires_in":"120","token_type":"bearer","created_at":1}"#;
        let parsed = tokens(200, body, None).unwrap();
        assert_eq!(parsed.access_token.expose(), "a");
        assert_eq!(parsed.expires_in, Duration::from_secs(120));

        let no_expiry = tokens(200, br#"{"access_token":"a","refresh_token":"r"}"#, None).unwrap();
        assert_eq!(no_expiry.expires_in, Duration::from_secs(3600));

        let previous = RingSecret::from("old");
        let kept = tokens(200, br#"{"access_token":"a"}"#, Some(&previous)).unwrap();
        assert_eq!(kept.refresh_token.expose(), "old");
    }

    #[test]
    fn incomplete_token_answers_are_errors_without_the_body() {
        for body in [
            &br#"{"refresh_token":"ey_secret"}"#[..],
            b"<html>",
            br#"{"access_token":"a"}"#,
        ] {
            let error = tokens(200, body, None).unwrap_err();
            assert!(matches!(error, RingError::UnexpectedResponse { status: 200, .. }));
            assert!(!error.to_string().contains("ey_secret"));
        }
        let mac = tokens(
            200,
            br#"{"access_token":"a","refresh_token":"r","token_type":"mac"}"#,
            None,
        );
        assert!(mac.is_err());
    }
}
