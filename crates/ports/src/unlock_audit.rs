//! The unlock audit trail.

use latchkey_domain::{IntercomId, RingAccountId, UnlockActor, UnlockEvent, UnlockOutcome, UserId};
use time::OffsetDateTime;

use crate::{Page, PendingUnlock, StoreError};

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

    /// Records what became of the attempt whose row
    /// [`reserve_guest_use`](crate::GuestLinkStore::reserve_guest_use) wrote: sets the
    /// outcome and error code of that row if it is still unsettled (`unknown`, no code);
    /// otherwise, or when the row is gone, changes nothing and is not an error.
    ///
    /// The change may be committed without waiting for it to reach disk (PostgreSQL's
    /// asynchronous commit): it is visible at once, and a database crash can lose only
    /// the settle, never the row, which then keeps saying `unknown` — true of an attempt
    /// whose record was lost. The guest's answer waits for one disk flush, not two.
    async fn settle_unlock(
        &self,
        pending: PendingUnlock,
        outcome: UnlockOutcome,
        error_code: Option<String>,
    ) -> Result<(), StoreError>;

    /// Events newest first; `user_id` restricts to events whose owner or acting user is
    /// that user. `offset`/`limit` select the page.
    async fn list_unlocks(
        &self,
        user_id: Option<UserId>,
        offset: u64,
        limit: u64,
    ) -> Result<Page<UnlockEvent>, StoreError>;
}
