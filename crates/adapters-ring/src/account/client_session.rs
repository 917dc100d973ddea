//! The Ring client session (`POST /clients_api/session`) of this hardware id.
//!
//! Ring blocks IPs that create many sessions (about 50 a day, ring-protocol.md §3), so
//! creation is lazy, single-flight (a mutex held across the request), renewed only after
//! `session_renew_after`, and never more often than `session_min_interval`.

use std::time::Instant;

use super::RingAccountSession;
use crate::client::ApiAuth;
use crate::error::RingError;
use crate::secret::RingSecret;

#[derive(Debug, Default)]
pub(super) struct SessionState {
    /// Since when this process knows the session exists (created it, or a call worked).
    known_since: Option<Instant>,
    /// When this process last created the session.
    last_created: Option<Instant>,
    /// When this process last tried to create it (successfully or not).
    last_attempt: Option<Instant>,
}

impl RingAccountSession {
    /// Notes that a `clients_api` call worked, so the session exists.
    pub(super) async fn session_confirmed(&self) {
        let mut state = self.session.lock().await;
        state.known_since.get_or_insert_with(Instant::now);
    }

    /// Forgets the session after Ring said it does not exist.
    pub(super) async fn forget_session(&self) {
        self.session.lock().await.known_since = None;
    }

    /// A `clients_api` call that started at `started` got the session 404: create the session,
    /// unless another caller already did after that call started.
    pub(super) async fn recover_session(
        &self,
        token: &RingSecret,
        started: Instant,
    ) -> Result<(), RingError> {
        let mut state = self.session.lock().await;
        if state.last_created.is_some_and(|created| created >= started) {
            return Ok(());
        }
        state.known_since = None;
        if !self.may_attempt(&state) {
            return Err(RingError::SessionNotFound);
        }
        tracing::info!(hardware_id = %self.hardware_id, "Ring has no session for this hardware id; creating one");
        self.create_locked(&mut state, token).await
    }

    /// Re-creates a session older than `session_renew_after`. Failures are only logged: the
    /// old session may still work, and the call that follows will tell.
    pub(super) async fn renew_session_if_old(&self, token: &RingSecret) {
        let mut state = self.session.lock().await;
        let old = state
            .known_since
            .is_some_and(|since| since.elapsed() >= self.policy.session_renew_after);
        if old
            && self.may_attempt(&state)
            && let Err(error) = self.create_locked(&mut state, token).await
        {
            tracing::warn!(hardware_id = %self.hardware_id, %error, "renewing the Ring session failed");
        }
    }

    /// Before an unlock: make sure a session this process knows of exists and is not old, so
    /// the unlock does not fail on a missing session (it is never retried). Returns the token
    /// to unlock with (refreshed if Ring rejected the one given while creating the session).
    pub(super) async fn ensure_session_before_unlock(
        &self,
        token: RingSecret,
    ) -> Result<RingSecret, RingError> {
        let mut state = self.session.lock().await;
        let fresh = state
            .known_since
            .is_some_and(|since| since.elapsed() < self.policy.session_renew_after);
        if fresh || !self.may_attempt(&state) {
            return Ok(token);
        }
        match self.create_locked(&mut state, &token).await {
            Err(RingError::Unauthorized) => {
                // Nothing was unlocked yet, so refreshing and trying again is safe.
                let token = self.refresh_after_rejection(&token).await?;
                self.create_locked(&mut state, &token).await?;
                Ok(token)
            }
            result => result.map(|()| token),
        }
    }

    fn may_attempt(&self, state: &SessionState) -> bool {
        state
            .last_attempt
            .is_none_or(|at| at.elapsed() >= self.policy.session_min_interval)
    }

    async fn create_locked(&self, state: &mut SessionState, token: &RingSecret) -> Result<(), RingError> {
        let now = Instant::now();
        state.last_attempt = Some(now);
        let auth = ApiAuth {
            hardware_id: &self.hardware_id,
            access_token: token,
        };
        self.client.create_session(&auth).await?;
        state.known_since = Some(now);
        state.last_created = Some(now);
        Ok(())
    }
}
