//! `RingClient`: one method per Ring call, no state, no retries. Token refresh, session
//! handling and retry policy live in [`crate::RingAccountSession`].

mod api;
mod classify;
mod oauth;
mod per_thread;
mod unlock;

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderMap, RETRY_AFTER};
use reqwest::{Method, RequestBuilder, Url};

use self::per_thread::PerThreadHttp;
use crate::config::RingClientConfig;
use crate::error::RingError;
use crate::ids::HardwareId;
use crate::secret::RingSecret;

/// Ring's header for the client id (with an underscore; legal in HTTP).
pub(crate) const HARDWARE_ID: &str = "hardware_id";

/// What an API call authenticates with.
#[derive(Debug, Clone, Copy)]
pub struct ApiAuth<'a> {
    /// This client's stable hardware id (`hardware_id` header).
    pub hardware_id: &'a HardwareId,
    /// Current access token (`Authorization: Bearer`).
    pub access_token: &'a RingSecret,
}

/// A low-level Ring cloud client (reqwest + rustls, one client per thread: see
/// [`per_thread`]). Cheap to clone; clones share the clients.
#[derive(Debug, Clone)]
pub struct RingClient {
    http: Arc<PerThreadHttp>,
    config: RingClientConfig,
    token_url: Url,
    api_base: String,
}

/// A response read completely, before classification.
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Vec<u8>,
}

impl RawResponse {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON, or `Null` when it is not JSON (Ring sends HTML on 406).
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

impl RingClient {
    /// Builds the HTTP client.
    ///
    /// # Errors
    /// `InvalidConfig` for a base URL that is not http(s) or a TLS setup failure.
    pub fn new(config: RingClientConfig) -> Result<Self, RingError> {
        let oauth_base = base_url(&config.oauth_base_url)?;
        let api_base = base_url(&config.api_base_url)?;
        let token_url = Url::parse(&format!("{oauth_base}/oauth/token"))
            .map_err(|e| RingError::InvalidConfig(format!("oauth base URL: {e}")))?;
        let http = PerThreadHttp::new(
            config.user_agent.clone(),
            config.request_timeout.max(config.unlock_timeout),
        )?;
        Ok(Self {
            http: Arc::new(http),
            config,
            token_url,
            api_base,
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &RingClientConfig {
        &self.config
    }

    /// An authenticated API request with the headers every Ring client sends (§9).
    fn api_request(
        &self,
        method: Method,
        path: &str,
        auth: &ApiAuth<'_>,
        timeout: Duration,
    ) -> RequestBuilder {
        self.http
            .get()
            .request(method, format!("{}{path}", self.api_base))
            .timeout(timeout)
            .bearer_auth(auth.access_token.expose())
            .header(HARDWARE_ID, auth.hardware_id.as_str())
            .header(ACCEPT, "application/json")
    }
}

/// Sends a request and reads the whole body, mapping transport failures.
pub(crate) async fn send(request: RequestBuilder) -> Result<RawResponse, RingError> {
    let response = request.send().await.map_err(transport_error)?;
    let status = response.status().as_u16();
    let retry_after = retry_after(response.headers());
    let body = response.bytes().await.map_err(transport_error)?.to_vec();
    Ok(RawResponse {
        status,
        retry_after,
        body,
    })
}

fn transport_error(error: reqwest::Error) -> RingError {
    if error.is_timeout() {
        RingError::Timeout
    } else if error.is_connect() {
        RingError::Unreachable {
            detail: error.to_string(),
        }
    } else {
        RingError::Network {
            detail: error.to_string(),
        }
    }
}

/// `Retry-After` in seconds. HTTP-date values are not used by Ring's known answers.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

fn base_url(raw: &str) -> Result<String, RingError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url =
        Url::parse(trimmed).map_err(|e| RingError::InvalidConfig(format!("base URL {trimmed:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(RingError::InvalidConfig(format!(
            "base URL {trimmed:?} must be http(s)"
        )));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_validated_and_trimmed() {
        assert_eq!(base_url("https://api.ring.com/").unwrap(), "https://api.ring.com");
        assert!(matches!(base_url("ftp://x"), Err(RingError::InvalidConfig(_))));
        assert!(matches!(base_url("not a url"), Err(RingError::InvalidConfig(_))));
    }

    #[test]
    fn retry_after_seconds_only() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(RETRY_AFTER, "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap());
        assert_eq!(retry_after(&headers), None);
    }
}
