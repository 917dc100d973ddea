//! `RingAccountSession`: one linked Ring account, with its tokens, its Ring client session and
//! the retry policy around them.
//!
//! Policy (ring-protocol.md §2, §3, §9; SECURITY.md §3.6, §6 items 5-7):
//! - the access token is refreshed ~60 s before it expires, and once after a 401 on a
//!   non-unlock call, which is then retried once;
//! - refreshes are single-flight per account: concurrent callers wait for one refresh;
//! - a rotated refresh token is handed to the [`RefreshTokenSink`] before the new access token
//!   is used; if that fails, the call fails with `PersistFailed` and the new tokens wait in
//!   memory until a later call manages to store them;
//! - `invalid_grant` marks the account `NeedsRelink` and nothing more is sent for it;
//! - the Ring client session is created lazily when a `clients_api` call answers the 404
//!   naming our hardware id, renewed after 12 h, and at most once a minute;
//! - unlock is never retried (see [`RingAccountSession::unlock`]).

mod client_session;
mod tokens;
mod unlock;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::client::{ApiAuth, RingClient};
use crate::error::RingError;
use crate::ids::{DeviceId, HardwareId};
use crate::model::{AuthTokens, DeviceHealth, RingDevices, RingLocation};
use crate::secret::RingSecret;
use crate::sink::RefreshTokenSink;

pub use unlock::UnlockError;

/// Timing rules of a [`RingAccountSession`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Refresh this long before the access token expires (Ring clients use 60 s).
    pub refresh_margin: Duration,
    /// Re-create the Ring client session after this long (ring-client-api: 12 h).
    pub session_renew_after: Duration,
    /// Never create sessions more often than this (Ring blocks IPs that create many).
    pub session_min_interval: Duration,
    /// After a failed refresh, callers within this window get the same error instead of
    /// another request to Ring (no refresh storms when Ring is down).
    pub refresh_failure_backoff: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            refresh_margin: Duration::from_secs(60),
            session_renew_after: Duration::from_secs(12 * 3600),
            session_min_interval: Duration::from_secs(60),
            refresh_failure_backoff: Duration::from_secs(5),
        }
    }
}

/// One linked Ring account. Share it (`Arc`) between all tasks using that account, so that
/// refreshes and session creation are single-flight.
pub struct RingAccountSession {
    client: RingClient,
    hardware_id: HardwareId,
    sink: Arc<dyn RefreshTokenSink>,
    policy: SessionPolicy,
    tokens: Mutex<tokens::TokenState>,
    session: Mutex<client_session::SessionState>,
}

impl std::fmt::Debug for RingAccountSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RingAccountSession")
            .field("hardware_id", &self.hardware_id)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl RingAccountSession {
    /// An account known by its stored refresh token; the first call refreshes.
    pub fn new(
        client: RingClient,
        hardware_id: HardwareId,
        refresh_token: RingSecret,
        sink: Arc<dyn RefreshTokenSink>,
    ) -> Self {
        Self::from_state(client, hardware_id, tokens::TokenState::new(refresh_token), sink)
    }

    /// An account right after a password grant. The caller must already have stored
    /// `tokens.refresh_token` (it is not handed to the sink again).
    pub fn with_tokens(
        client: RingClient,
        hardware_id: HardwareId,
        tokens: AuthTokens,
        sink: Arc<dyn RefreshTokenSink>,
    ) -> Self {
        let mut state = tokens::TokenState::new(tokens.refresh_token.clone());
        state.adopt(tokens, Instant::now());
        Self::from_state(client, hardware_id, state, sink)
    }

    fn from_state(
        client: RingClient,
        hardware_id: HardwareId,
        state: tokens::TokenState,
        sink: Arc<dyn RefreshTokenSink>,
    ) -> Self {
        Self {
            client,
            hardware_id,
            sink,
            policy: SessionPolicy::default(),
            tokens: Mutex::new(state),
            session: Mutex::new(client_session::SessionState::default()),
        }
    }

    /// Replaces the timing rules.
    pub fn with_policy(mut self, policy: SessionPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The account's hardware id.
    pub fn hardware_id(&self) -> &HardwareId {
        &self.hardware_id
    }

    /// True once Ring rejected the refresh token; every call then fails with `NeedsRelink`.
    pub async fn needs_relink(&self) -> bool {
        self.tokens.lock().await.needs_relink
    }

    /// The account's intercoms.
    ///
    /// # Errors
    /// Any [`RingError`]; `NeedsRelink` when the link is gone, `PersistFailed` when a rotated
    /// token could not be stored.
    pub async fn devices(&self) -> Result<RingDevices, RingError> {
        self.call(true, |token| async move {
            self.client.devices(&self.auth(&token)).await
        })
        .await
    }

    /// The account's locations (a cheap token check; needs no Ring client session).
    ///
    /// # Errors
    /// As [`Self::devices`].
    pub async fn locations(&self) -> Result<Vec<RingLocation>, RingError> {
        self.call(false, |token| async move {
            self.client.locations(&self.auth(&token)).await
        })
        .await
    }

    /// Health of one device.
    ///
    /// # Errors
    /// As [`Self::devices`], plus `NotFound` for an unknown device.
    pub async fn device_health(&self, device: DeviceId) -> Result<DeviceHealth, RingError> {
        self.call(true, |token| async move {
            self.client.device_health(&self.auth(&token), device).await
        })
        .await
    }

    fn auth<'a>(&'a self, token: &'a RingSecret) -> ApiAuth<'a> {
        ApiAuth {
            hardware_id: &self.hardware_id,
            access_token: token,
        }
    }

    /// Runs a non-unlock call with the current token: refreshes once and retries once after a
    /// 401, creates the Ring client session and retries once after the session 404.
    ///
    /// `op` takes the token by value (not an `AsyncFn` over a borrowed auth) so the returned
    /// futures stay `Send` for callers that spawn them.
    async fn call<T, F, Fut>(&self, clients_api: bool, op: F) -> Result<T, RingError>
    where
        F: Fn(RingSecret) -> Fut,
        Fut: Future<Output = Result<T, RingError>>,
    {
        let mut token = self.access_token().await?;
        if clients_api {
            self.renew_session_if_old(&token).await;
        }
        let (mut refreshed, mut session_recovered) = (false, false);
        loop {
            let started = Instant::now();
            match op(token.clone()).await {
                Ok(value) => {
                    if clients_api {
                        self.session_confirmed().await;
                    }
                    return Ok(value);
                }
                Err(RingError::Unauthorized) if !refreshed => {
                    refreshed = true;
                    tracing::info!(hardware_id = %self.hardware_id, "Ring answered 401; refreshing once");
                    token = self.refresh_after_rejection(&token).await?;
                }
                Err(RingError::SessionNotFound) if clients_api && !session_recovered => {
                    session_recovered = true;
                    self.recover_session(&token, started).await?;
                }
                Err(error) => return Err(error),
            }
        }
    }
}
