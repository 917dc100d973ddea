//! Snapshots of intercom health taken by the background poller.

use latchkey_domain::{IntercomId, RingAccountId};
use time::OffsetDateTime;

use crate::StoreError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthSnapshot {
    pub ring_account_id: RingAccountId,
    pub intercom_id: IntercomId,
    pub taken_at: OffsetDateTime,
    pub online: Option<bool>,
    pub battery_percent: Option<i32>,
    pub signal_dbm: Option<i32>,
    pub firmware: Option<String>,
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait DeviceHealthStore: Send + Sync + 'static {
    async fn record_health(&self, snapshot: HealthSnapshot) -> Result<(), StoreError>;

    /// Snapshots of one intercom under one account, newest first, at most `limit`.
    async fn health_history(
        &self,
        ring_account_id: RingAccountId,
        intercom_id: IntercomId,
        limit: u64,
    ) -> Result<Vec<HealthSnapshot>, StoreError>;

    /// Deletes snapshots taken before `before`; returns how many.
    async fn prune_health(&self, before: OffsetDateTime) -> Result<u64, StoreError>;
}
