//! The Ring cloud, as the use cases need it: log in, list intercoms, read health, open.

use latchkey_domain::{IntercomId, RingAccount, RingAccountId};

use crate::Secret;

/// A Ring location, for showing that a token works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RingLocationInfo {
    pub id: String,
    pub name: String,
}

/// An intercom as listed by Ring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntercomInfo {
    pub id: IntercomId,
    pub name: String,
    pub location_id: Option<String>,
    pub battery_percent: Option<i32>,
    pub online: Option<bool>,
    pub firmware: Option<String>,
}

/// An intercom's health as Ring reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IntercomHealth {
    pub online: Option<bool>,
    pub battery_percent: Option<i32>,
    pub signal_dbm: Option<i32>,
    pub firmware: Option<String>,
}

/// What went wrong talking to Ring. No variant carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    #[error("Ring rejected the email or password")]
    InvalidCredentials,
    #[error("Ring needs a verification code: {prompt}")]
    TwoFactorRequired { prompt: String },
    #[error("the verification code is wrong or expired")]
    InvalidTwoFactorCode,
    #[error("Ring refuses to send more verification codes for now")]
    TwoFactorRateLimited,
    #[error("Ring no longer accepts this account's token; log in to Ring again")]
    NeedsRelink,
    #[error("this Ring account has no token yet")]
    NotLinked,
    #[error("the intercom is unknown to this Ring account")]
    DeviceNotFound,
    #[error("the intercom is offline")]
    DeviceOffline,
    #[error("the intercom refused the command")]
    DeviceRejected,
    #[error("Ring is rate-limiting requests")]
    RateLimited { retry_after_secs: u64 },
    #[error("Ring did not answer in time")]
    Timeout,
    #[error("Ring is unavailable")]
    Unavailable,
    #[error("Ring answered unexpectedly: {0}")]
    Unexpected(String),
    /// Storing a rotated token failed, so the new token was not used.
    #[error("could not store Ring's new token")]
    Storage,
}

impl GatewayError {
    /// The stable code clients and audit rows use for this failure.
    pub fn code(&self) -> &'static str {
        match self {
            GatewayError::InvalidCredentials => "ring_invalid_credentials",
            GatewayError::TwoFactorRequired { .. } => "ring_2fa_required",
            GatewayError::InvalidTwoFactorCode => "ring_2fa_invalid",
            GatewayError::TwoFactorRateLimited => "ring_2fa_rate_limited",
            GatewayError::NeedsRelink => "ring_needs_relink",
            GatewayError::NotLinked => "ring_not_linked",
            GatewayError::DeviceNotFound => "intercom_not_found",
            GatewayError::DeviceOffline => "intercom_offline",
            GatewayError::DeviceRejected => "intercom_rejected",
            GatewayError::RateLimited { .. } => "ring_rate_limited",
            GatewayError::Timeout => "ring_timeout",
            GatewayError::Unavailable => "ring_unavailable",
            GatewayError::Unexpected(_) => "ring_unexpected",
            GatewayError::Storage => "service_unavailable",
        }
    }
}

/// A failed unlock, with whether the door may nevertheless have opened (the request
/// reached Ring and the answer was lost).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct UnlockFailure {
    pub error: GatewayError,
    pub door_may_have_opened: bool,
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait IntercomGateway: Send + Sync + 'static {
    /// Ring's password grant, with a two-factor code on the second call. Returns the
    /// refresh token.
    ///
    /// # Errors
    /// MUST return [`GatewayError::TwoFactorRequired`] (with a prompt for a person) when
    /// Ring wants a code and none was given.
    async fn log_in(
        &self,
        hardware_id: &str,
        email: &str,
        password: &Secret,
        code: Option<Secret>,
    ) -> Result<Secret, GatewayError>;

    /// Lists locations with a refresh token that is not stored anywhere (a test).
    async fn test_token(
        &self,
        hardware_id: &str,
        refresh_token: &Secret,
    ) -> Result<Vec<RingLocationInfo>, GatewayError>;

    /// The account's intercoms. Rotated tokens are persisted before use.
    async fn intercoms(&self, account: &RingAccount) -> Result<Vec<IntercomInfo>, GatewayError>;

    async fn health(
        &self,
        account: &RingAccount,
        intercom: IntercomId,
    ) -> Result<IntercomHealth, GatewayError>;

    /// Sends `unlock_door` once. Never retried.
    async fn unlock(&self, account: &RingAccount, intercom: IntercomId) -> Result<(), UnlockFailure>;

    /// Drops any cached session for the account (after relinking or deletion).
    async fn forget(&self, account: RingAccountId);
}

/// Where the gateway loads and stores an account's refresh token (sealed at rest).
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait RingTokenVault: Send + Sync + 'static {
    /// The account's refresh token, `Ok(None)` when none is stored.
    async fn load_token(&self, account: &RingAccount) -> Result<Option<Secret>, GatewayError>;

    /// Stores a rotated token (status becomes linked). Must be durable before returning.
    async fn store_token(&self, account: &RingAccount, token: &Secret) -> Result<(), GatewayError>;

    /// Ring refused `refused` for good: mark the account for relinking, unless the
    /// stored token is no longer `refused` (a relink replaced it meanwhile, and the new
    /// token must not inherit the old one's refusal).
    async fn mark_needs_relink(&self, account: &RingAccount, refused: &Secret);
}
