//! The unlock audit trail.

use latchkey_domain::{IntercomId, RingAccountId, UnlockActor, UnlockEvent, UnlockOutcome, UserId};
use time::OffsetDateTime;

use crate::{Page, StoreError};

#[derive(Debug, Clone)]
pub struct NewUnlockEvent {
    pub occurred_at: OffsetDateTime,
    pub actor: UnlockActor,
    pub owner_id: Option<UserId>,
    pub ring_account_id: Option<RingAccountId>,
    pub intercom_id: Option<IntercomId>,
    pub outcome: UnlockOutcome,
    pub error_code: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait UnlockAuditStore: Send + Sync + 'static {
    /// Appends one event. Never fails because a referenced user or account was deleted
    /// meanwhile: the event keeps its ids as plain values.
    async fn record_unlock(&self, event: NewUnlockEvent) -> Result<(), StoreError>;

    /// Events newest first; `user_id` restricts to events whose owner or acting user is
    /// that user. `offset`/`limit` select the page.
    async fn list_unlocks(
        &self,
        user_id: Option<UserId>,
        offset: u64,
        limit: u64,
    ) -> Result<Page<UnlockEvent>, StoreError>;
}
