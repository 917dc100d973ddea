//! Unlock through a linked account: prepared carefully, sent once, never retried.
//!
//! Why no retry, not even after a 401: ring-protocol.md does not establish that a rejected
//! token stops the RPC before it reaches the intercom, and a retried unlock can open the door
//! twice or minutes after the guest left (SECURITY.md §3.6). So everything that can be fixed
//! beforehand is: the token is refreshed if it is near expiry, and the Ring client session is
//! created if this process does not know it to exist. After the request is sent, a 401 only
//! makes the *next* call refresh, and a session 404 only makes it re-create the session.

use super::RingAccountSession;
use crate::client::ApiAuth;
use crate::error::RingError;
use crate::ids::DeviceId;
use crate::model::UnlockAck;

/// A failed unlock, and whether the request was sent to Ring at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct UnlockError {
    /// What went wrong.
    pub error: RingError,
    /// False when it failed before the unlock request was sent (token refresh, session
    /// creation...): the door certainly did not open.
    pub sent: bool,
}

impl UnlockError {
    /// True when the door may have opened despite the error (the request was sent and the
    /// answer was lost or late). Such an attempt must not be retried or refunded.
    pub fn door_may_have_opened(&self) -> bool {
        self.sent && self.error.unlock_outcome_unknown()
    }
}

impl RingAccountSession {
    /// Opens the door of intercom `device`, sending the unlock RPC at most once.
    ///
    /// # Errors
    /// [`UnlockError`] with `sent == false` for failures before sending (e.g. `NeedsRelink`,
    /// `PersistFailed`, a failed session creation) and `sent == true` for Ring's answer:
    /// `DeviceRejected`, `Unprocessable` (422), `RateLimited` (429), `Unavailable` (5xx),
    /// `Timeout`, `Unauthorized`, `SessionNotFound`, `DeviceOffline`, ...
    pub async fn unlock(&self, device: DeviceId) -> Result<UnlockAck, UnlockError> {
        let not_sent = |error| UnlockError { error, sent: false };
        let token = self.access_token().await.map_err(not_sent)?;
        let token = self.ensure_session_before_unlock(token).await.map_err(not_sent)?;
        let auth = ApiAuth {
            hardware_id: &self.hardware_id,
            access_token: &token,
        };
        let result = self.client.unlock(&auth, device).await;
        match &result {
            Ok(_) => self.session_confirmed().await,
            Err(RingError::Unauthorized) => self.forget_access(&token).await,
            Err(RingError::SessionNotFound) => self.forget_session().await,
            Err(error) => {
                tracing::warn!(hardware_id = %self.hardware_id, device = %device, %error, "Ring unlock failed; not retrying");
            }
        }
        result.map_err(|error| UnlockError { error, sent: true })
    }
}
