//! `RingClientConfig`: where Ring is and how long to wait for it.

use std::time::Duration;

/// Settings of a [`crate::RingClient`]. Base URLs are configuration so tests and the demo
/// mode can point the client at `latchkey-ring-sim`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RingClientConfig {
    /// Base of the token endpoint (`https://oauth.ring.com`).
    pub oauth_base_url: String,
    /// Base of the API (`https://api.ring.com`).
    pub api_base_url: String,
    /// `User-Agent` on every request. Ring answers unknown agents with 406 and users reported
    /// missing 2FA SMS with sample names (ring-protocol.md §1.1, §1.5), so keep the app's.
    pub user_agent: String,
    /// OAuth `client_id`.
    pub client_id: String,
    /// Name shown in Ring Control Center → Authorized Client Devices (`device_model`).
    pub device_model: String,
    /// Timeout of every call except unlock.
    pub request_timeout: Duration,
    /// Timeout of the unlock call. Ring sometimes takes ~10 s to answer an unlock, so the
    /// default is 20 s; a timed-out unlock may still open the door.
    pub unlock_timeout: Duration,
}

impl RingClientConfig {
    /// Ring's real token endpoint host.
    pub const RING_OAUTH_URL: &'static str = "https://oauth.ring.com";
    /// Ring's real API host.
    pub const RING_API_URL: &'static str = "https://api.ring.com";

    /// Defaults with the given base URLs (a trailing `/` is ignored).
    pub fn new(oauth_base_url: impl Into<String>, api_base_url: impl Into<String>) -> Self {
        Self {
            oauth_base_url: oauth_base_url.into(),
            api_base_url: api_base_url.into(),
            user_agent: "android:com.ringapp".to_owned(),
            client_id: "ring_official_android".to_owned(),
            device_model: "Latchkey".to_owned(),
            request_timeout: Duration::from_secs(10),
            unlock_timeout: Duration::from_secs(20),
        }
    }

    /// Defaults pointing at Ring's cloud.
    pub fn ring_cloud() -> Self {
        Self::new(Self::RING_OAUTH_URL, Self::RING_API_URL)
    }

    /// Sets the timeout of non-unlock calls.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the unlock timeout.
    pub fn with_unlock_timeout(mut self, timeout: Duration) -> Self {
        self.unlock_timeout = timeout;
        self
    }

    /// Sets the Control Center display name.
    pub fn with_device_model(mut self, device_model: impl Into<String>) -> Self {
        self.device_model = device_model.into();
        self
    }
}
