//! Access-token lifetime, single-flight refresh, and persist-before-use of rotated tokens.
//!
//! The token state sits behind a tokio `Mutex` that is held across the refresh request: the
//! first caller that finds the token stale refreshes, everyone else waits on the lock and then
//! finds a fresh token (or the cached failure). That is the single flight.

use std::time::Instant;

use super::RingAccountSession;
use crate::error::RingError;
use crate::model::AuthTokens;
use crate::secret::RingSecret;

/// An access token and when it stops working.
struct AccessToken {
    token: RingSecret,
    expires_at: Instant,
}

/// Tokens received from Ring whose refresh token the sink has not stored yet.
struct Unpersisted {
    tokens: AuthTokens,
    received_at: Instant,
}

pub(super) struct TokenState {
    refresh_token: RingSecret,
    access: Option<AccessToken>,
    unpersisted: Option<Unpersisted>,
    pub(super) needs_relink: bool,
    last_failure: Option<(Instant, RingError)>,
}

impl TokenState {
    pub(super) fn new(refresh_token: RingSecret) -> Self {
        Self {
            refresh_token,
            access: None,
            unpersisted: None,
            needs_relink: false,
            last_failure: None,
        }
    }

    /// Takes tokens into use. `received_at` is taken before the request, so the computed
    /// expiry errs early.
    pub(super) fn adopt(&mut self, tokens: AuthTokens, received_at: Instant) {
        self.access = Some(AccessToken {
            token: tokens.access_token,
            expires_at: received_at + tokens.expires_in,
        });
        self.refresh_token = tokens.refresh_token;
        self.last_failure = None;
    }

    fn fresh_access(&self, now: Instant, margin: std::time::Duration) -> Option<RingSecret> {
        self.access
            .as_ref()
            .filter(|access| now + margin < access.expires_at)
            .map(|access| access.token.clone())
    }
}

impl RingAccountSession {
    /// A usable access token, refreshing first when it expires within the margin.
    pub(super) async fn access_token(&self) -> Result<RingSecret, RingError> {
        let mut state = self.tokens.lock().await;
        if let Some(token) = state.fresh_access(Instant::now(), self.policy.refresh_margin) {
            return Ok(token);
        }
        self.refresh_locked(&mut state).await
    }

    /// Ring rejected `rejected`: refresh, unless another caller already replaced it.
    pub(super) async fn refresh_after_rejection(
        &self,
        rejected: &RingSecret,
    ) -> Result<RingSecret, RingError> {
        let mut state = self.tokens.lock().await;
        if let Some(token) = state.fresh_access(Instant::now(), self.policy.refresh_margin)
            && token != *rejected
        {
            return Ok(token);
        }
        state.access = None;
        self.refresh_locked(&mut state).await
    }

    /// Forgets an access token Ring rejected, so the next call refreshes (used after an
    /// unlock 401, which itself is not retried).
    pub(super) async fn forget_access(&self, rejected: &RingSecret) {
        let mut state = self.tokens.lock().await;
        if state
            .access
            .as_ref()
            .is_some_and(|access| access.token == *rejected)
        {
            state.access = None;
        }
    }

    async fn refresh_locked(&self, state: &mut TokenState) -> Result<RingSecret, RingError> {
        if state.needs_relink {
            return Err(RingError::NeedsRelink);
        }
        let now = Instant::now();
        // Tokens from an earlier refresh that could not be stored: store them before anything
        // else. Asking Ring again could burn the only valid (single-use) refresh token.
        if let Some(pending) = state.unpersisted.take() {
            if let Err(error) = self.sink.persist(&pending.tokens.refresh_token).await {
                state.unpersisted = Some(pending);
                return Err(RingError::PersistFailed(error));
            }
            state.adopt(pending.tokens, pending.received_at);
            if let Some(token) = state.fresh_access(now, self.policy.refresh_margin) {
                return Ok(token);
            }
        }
        if let Some((failed_at, error)) = &state.last_failure
            && now.duration_since(*failed_at) < self.policy.refresh_failure_backoff
        {
            return Err(error.clone());
        }
        let tokens = match self
            .client
            .refresh_grant(&self.hardware_id, &state.refresh_token)
            .await
        {
            Ok(tokens) => tokens,
            Err(RingError::NeedsRelink) => {
                tracing::warn!(hardware_id = %self.hardware_id, "Ring refused the refresh token; the account must be linked again");
                state.needs_relink = true;
                state.access = None;
                return Err(RingError::NeedsRelink);
            }
            Err(error) => {
                tracing::warn!(hardware_id = %self.hardware_id, %error, "Ring token refresh failed");
                state.last_failure = Some((Instant::now(), error.clone()));
                return Err(error);
            }
        };
        if tokens.refresh_token != state.refresh_token
            && let Err(error) = self.sink.persist(&tokens.refresh_token).await
        {
            tracing::error!(hardware_id = %self.hardware_id, %error, "could not store the rotated Ring refresh token; holding the new tokens back");
            state.access = None;
            state.unpersisted = Some(Unpersisted {
                tokens,
                received_at: now,
            });
            return Err(RingError::PersistFailed(error));
        }
        let token = tokens.access_token.clone();
        state.adopt(tokens, now);
        Ok(token)
    }
}
