//! Runtime settings an admin changes while the service runs.

use latchkey_domain::RateLimits;

use crate::StoreError;

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait SettingsStore: Send + Sync + 'static {
    /// The stored limits, or `Ok(None)` when none were ever saved.
    async fn rate_limits(&self) -> Result<Option<RateLimits>, StoreError>;

    async fn save_rate_limits(&self, limits: RateLimits) -> Result<(), StoreError>;
}
