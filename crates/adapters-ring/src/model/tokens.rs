//! The OAuth token answer.

use std::time::Duration;

use serde::Deserialize;

use crate::secret::RingSecret;

/// Tokens from a successful grant.
#[derive(Debug, Clone)]
pub struct AuthTokens {
    /// Bearer token for API calls.
    pub access_token: RingSecret,
    /// Token for the next refresh grant. Persist it: Ring may rotate it on every refresh.
    pub refresh_token: RingSecret,
    /// Lifetime of `access_token` (Ring: 3600 s; 3600 s when missing).
    pub expires_in: Duration,
}

/// `{"access_token":..,"expires_in":3600,"refresh_token":..,"scope":"client","token_type":"Bearer"}`
#[derive(Deserialize)]
pub(crate) struct TokenBody {
    pub(crate) access_token: Option<String>,
    pub(crate) refresh_token: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::opt_u64")]
    pub(crate) expires_in: Option<u64>,
    pub(crate) token_type: Option<String>,
}

/// Ring's documented default lifetime, used when `expires_in` is missing.
pub(crate) const DEFAULT_EXPIRES_IN: Duration = Duration::from_secs(3600);
