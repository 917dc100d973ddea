//! [`RingGateway`]: the hexagon's [`IntercomGateway`] port, built on [`RingClient`] and one
//! cached [`RingAccountSession`] per linked account.
//!
//! Tokens come from the application's [`RingTokenVault`]; rotated ones go back to it before
//! they are used (the session guarantees the order). When Ring refuses an account's token the
//! vault is told once, the session is dropped, and callers get `NeedsRelink`.

mod cache;
mod convert;
mod errors;
mod vault_sink;

use std::sync::Arc;

use async_trait::async_trait;
use latchkey_domain::{IntercomId, RingAccount, RingAccountId};
use latchkey_ports::{
    GatewayError, IntercomGateway, IntercomHealth, IntercomInfo, RingLocationInfo, RingTokenVault, Secret,
    UnlockFailure,
};

use self::cache::SessionCache;
use self::convert::{intercom_health, intercom_info, location_info};
use self::errors::{gateway_error, invalid_hardware_id, not_sent, unlock_failure};
use crate::account::{RingAccountSession, SessionPolicy};
use crate::client::{ApiAuth, RingClient};
use crate::config::RingClientConfig;
use crate::error::RingError;
use crate::ids::{DeviceId, HardwareId};
use crate::secret::RingSecret;

/// Ring for the application: implements [`IntercomGateway`]. Share one per process (`Arc`),
/// so that each account has one session and refreshes stay single-flight.
pub struct RingGateway {
    client: RingClient,
    vault: Arc<dyn RingTokenVault>,
    sessions: SessionCache,
    policy: SessionPolicy,
}

impl std::fmt::Debug for RingGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RingGateway")
            .field("client", &self.client)
            .field("cached_accounts", &self.sessions.len())
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl RingGateway {
    /// A gateway talking to the Ring cloud (or the simulator) described by `config`.
    ///
    /// # Errors
    /// `RingError::InvalidConfig` for an unusable base URL or HTTP client setup.
    pub fn new(config: RingClientConfig, vault: Arc<dyn RingTokenVault>) -> Result<Self, RingError> {
        Ok(Self::with_client(RingClient::new(config)?, vault))
    }

    /// A gateway over an existing client.
    pub fn with_client(client: RingClient, vault: Arc<dyn RingTokenVault>) -> Self {
        Self {
            client,
            vault,
            sessions: SessionCache::default(),
            policy: SessionPolicy::default(),
        }
    }

    /// Timing rules for the account sessions built from now on.
    pub fn with_session_policy(mut self, policy: SessionPolicy) -> Self {
        self.policy = policy;
        self
    }

    async fn session(&self, account: &RingAccount) -> Result<Arc<RingAccountSession>, GatewayError> {
        self.sessions
            .session(account, &self.vault, |hardware_id, token, sink| {
                RingAccountSession::new(self.client.clone(), hardware_id, token, sink)
                    .with_policy(self.policy.clone())
            })
            .await
    }

    /// Translates a session's answer, handling a refused link.
    async fn settle<T>(
        &self,
        account: &RingAccount,
        session: &Arc<RingAccountSession>,
        result: Result<T, RingError>,
    ) -> Result<T, GatewayError> {
        match result {
            Ok(value) => Ok(value),
            Err(RingError::NeedsRelink) => {
                self.link_refused(account, session).await;
                Err(GatewayError::NeedsRelink)
            }
            Err(error) => Err(gateway_error(error)),
        }
    }

    async fn link_refused(&self, account: &RingAccount, session: &Arc<RingAccountSession>) {
        if let Some(refused) = self.sessions.refused(account.id, session).await {
            tracing::warn!(ring_account = %account.id, "Ring refused the account's refresh token; it must be linked again");
            self.vault
                .mark_needs_relink(account, &Secret::new(refused.expose()))
                .await;
        }
    }
}

fn hardware_id(raw: &str) -> Result<HardwareId, GatewayError> {
    HardwareId::new(raw).map_err(invalid_hardware_id)
}

#[async_trait]
impl IntercomGateway for RingGateway {
    async fn log_in(
        &self,
        hardware_id: &str,
        email: &str,
        password: &Secret,
        code: Option<Secret>,
    ) -> Result<Secret, GatewayError> {
        let hardware_id = self::hardware_id(hardware_id)?;
        let password = RingSecret::new(password.expose());
        let code = code.map(|code| RingSecret::new(code.expose()));
        let tokens = self
            .client
            .password_grant(&hardware_id, email, &password, code.as_ref())
            .await
            .map_err(gateway_error)?;
        Ok(Secret::new(tokens.refresh_token.expose()))
    }

    /// Direct client calls, so nothing is stored. Where Ring rotates refresh tokens on use
    /// (the simulator's default), this consumes the tested token: the rotated one is dropped.
    async fn test_token(
        &self,
        hardware_id: &str,
        refresh_token: &Secret,
    ) -> Result<Vec<RingLocationInfo>, GatewayError> {
        let hardware_id = self::hardware_id(hardware_id)?;
        let refresh_token = RingSecret::new(refresh_token.expose());
        let tokens = self
            .client
            .refresh_grant(&hardware_id, &refresh_token)
            .await
            .map_err(gateway_error)?;
        let auth = ApiAuth {
            hardware_id: &hardware_id,
            access_token: &tokens.access_token,
        };
        let locations = self.client.locations(&auth).await.map_err(gateway_error)?;
        Ok(locations.into_iter().map(location_info).collect())
    }

    async fn intercoms(&self, account: &RingAccount) -> Result<Vec<IntercomInfo>, GatewayError> {
        let session = self.session(account).await?;
        let result = session.devices().await;
        let devices = self.settle(account, &session, result).await?;
        Ok(devices.intercoms.into_iter().map(intercom_info).collect())
    }

    async fn health(
        &self,
        account: &RingAccount,
        intercom: IntercomId,
    ) -> Result<IntercomHealth, GatewayError> {
        let session = self.session(account).await?;
        let device = DeviceId::new(intercom.0);
        let result = session.device_health(device).await;
        let health = self.settle(account, &session, result).await?;
        // Online/offline is only in the device list. Failing to read it leaves `online`
        // unknown rather than failing health that Ring did report.
        let result = session.devices().await;
        let listed = match self.settle(account, &session, result).await {
            Ok(devices) => devices.intercoms.into_iter().find(|i| i.id == device),
            Err(GatewayError::NeedsRelink) => return Err(GatewayError::NeedsRelink),
            Err(error) => {
                tracing::debug!(ring_account = %account.id, %error, "device list unavailable for health");
                None
            }
        };
        Ok(intercom_health(health, listed))
    }

    async fn unlock(&self, account: &RingAccount, intercom: IntercomId) -> Result<(), UnlockFailure> {
        let session = self.session(account).await.map_err(not_sent)?;
        // Sent at most once by the session; nothing here may retry it.
        match session.unlock(DeviceId::new(intercom.0)).await {
            Ok(_) => Ok(()),
            Err(error) => {
                if error.error == RingError::NeedsRelink {
                    self.link_refused(account, &session).await;
                }
                Err(unlock_failure(error))
            }
        }
    }

    async fn forget(&self, account: RingAccountId) {
        self.sessions.forget(account).await;
    }
}
