//! Server-side login sessions.

use latchkey_domain::{Session, User, UserId};
use time::OffsetDateTime;

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 (hex) of the random id the client holds; the id itself is never stored.
    pub id_hash: String,
    pub user_id: UserId,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the user does not exist.
    async fn create_session(&self, session: NewSession) -> Result<Session, StoreError>;

    /// The session with its user, in one lookup; `Ok(None)` when there is no such session.
    async fn find_session(&self, id_hash: &str) -> Result<Option<(Session, User)>, StoreError>;

    /// Records activity; a vanished session is not an error.
    async fn touch_session(&self, id_hash: &str, now: OffsetDateTime) -> Result<(), StoreError>;

    /// Deletes one session; deleting a vanished session is not an error.
    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;

    /// Deletes every session of a user; returns how many there were.
    async fn delete_user_sessions(&self, user_id: UserId) -> Result<u64, StoreError>;

    /// Deletes sessions past their absolute lifetime or idle since before `idle_before`.
    async fn delete_stale_sessions(
        &self,
        now: OffsetDateTime,
        idle_before: OffsetDateTime,
    ) -> Result<u64, StoreError>;
}
