//! GET /api/audit and GET /api/admin/audit.

use latchkey_domain::{Actor, UnlockEvent, UserId};
use latchkey_ports::Page;

use super::RingService;
use crate::{AppError, PageQuery};

impl RingService {
    /// The caller's own unlock events (as owner or actor), newest first.
    pub async fn my_unlocks(&self, actor: Actor, q: PageQuery) -> Result<Page<UnlockEvent>, AppError> {
        Ok(self
            .ports
            .audit
            .list_unlocks(Some(actor.user_id), (q.page - 1) * q.page_size, q.page_size)
            .await?)
    }

    /// All unlock events, or one user's.
    pub async fn unlocks(
        &self,
        actor: Actor,
        user_id: Option<UserId>,
        q: PageQuery,
    ) -> Result<Page<UnlockEvent>, AppError> {
        actor.require_admin()?;
        Ok(self
            .ports
            .audit
            .list_unlocks(user_id, (q.page - 1) * q.page_size, q.page_size)
            .await?)
    }
}
