//! Pending Ring logins waiting for a two-factor code, and the count of codes requested.

use latchkey_domain::{AccountLabel, RingAccountId, UserId};
use time::OffsetDateTime;

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct NewRingAuthAttempt {
    pub user_id: UserId,
    pub ring_account_id: Option<RingAccountId>,
    pub account_label: Option<AccountLabel>,
    pub hardware_id: String,
    /// Ring email and password, sealed by the secret box with the user bound in.
    pub sealed_credentials: Vec<u8>,
    pub prompt: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RingAuthAttempt {
    pub id: i64,
    pub user_id: UserId,
    pub ring_account_id: Option<RingAccountId>,
    pub account_label: Option<AccountLabel>,
    pub hardware_id: String,
    pub sealed_credentials: Vec<u8>,
    pub prompt: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait RingAuthAttemptStore: Send + Sync + 'static {
    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the user does not exist.
    async fn create_ring_auth_attempt(
        &self,
        attempt: NewRingAuthAttempt,
    ) -> Result<RingAuthAttempt, StoreError>;

    /// The user's attempt if it exists and has not expired at `now`; `Ok(None)` otherwise
    /// (including another user's attempt).
    async fn find_ring_auth_attempt(
        &self,
        id: i64,
        user_id: UserId,
        now: OffsetDateTime,
    ) -> Result<Option<RingAuthAttempt>, StoreError>;

    /// Deletes one attempt (its sealed credentials with it); a vanished one is not an error.
    async fn delete_ring_auth_attempt(&self, id: i64) -> Result<(), StoreError>;

    /// Deletes attempts expired at `now`; returns how many.
    async fn delete_expired_ring_auth_attempts(&self, now: OffsetDateTime) -> Result<u64, StoreError>;

    /// Records that a two-factor code was requested for `(user, ring_email_hash)`.
    async fn record_code_request(
        &self,
        user_id: UserId,
        email_hash: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// How many codes were requested for `(user, ring_email_hash)` at or after `since`.
    async fn count_code_requests(
        &self,
        user_id: UserId,
        email_hash: &str,
        since: OffsetDateTime,
    ) -> Result<u64, StoreError>;
}
