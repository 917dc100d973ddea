//! The login audit trail.

use latchkey_domain::{LoginAuditEvent, LoginOutcome, UserId};
use time::OffsetDateTime;

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct NewLoginAudit {
    pub occurred_at: OffsetDateTime,
    pub username: String,
    pub user_id: Option<UserId>,
    pub outcome: LoginOutcome,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// One page of a list, newest first, with the total across all pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait LoginAuditStore: Send + Sync + 'static {
    async fn record_login(&self, event: NewLoginAudit) -> Result<(), StoreError>;

    /// Events newest first; `offset`/`limit` select the page.
    async fn list_logins(&self, offset: u64, limit: u64) -> Result<Page<LoginAuditEvent>, StoreError>;
}
