//! Linked Ring accounts and their encrypted refresh tokens.

use latchkey_domain::{AccountLabel, RingAccount, RingAccountId, RingLinkStatus, UserId};
use time::OffsetDateTime;

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct NewRingAccount {
    pub user_id: UserId,
    pub label: AccountLabel,
    pub hardware_id: String,
    pub now: OffsetDateTime,
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait RingAccountStore: Send + Sync + 'static {
    /// Creates a live, unlinked account. It becomes the user's default when the user
    /// has no other live account.
    ///
    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the user does not exist.
    async fn create_ring_account(&self, account: NewRingAccount) -> Result<RingAccount, StoreError>;

    /// The user's live (not deleted) accounts, ordered by id.
    async fn list_ring_accounts(&self, user_id: UserId) -> Result<Vec<RingAccount>, StoreError>;

    /// Every live account of every user, ordered by user then id (admin views, poller).
    async fn list_all_ring_accounts(&self) -> Result<Vec<RingAccount>, StoreError>;

    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the account does not exist, is deleted,
    /// or belongs to another user — callers must not learn which.
    async fn get_ring_account(&self, id: RingAccountId, user_id: UserId) -> Result<RingAccount, StoreError>;

    /// Renames the account and/or makes it the user's default. Making one default
    /// clears the flag on the user's others in the same transaction: a user with live
    /// accounts has exactly one default.
    ///
    /// # Errors
    /// As [`get_ring_account`](Self::get_ring_account).
    async fn update_ring_account(
        &self,
        id: RingAccountId,
        user_id: UserId,
        label: Option<AccountLabel>,
        make_default: bool,
        now: OffsetDateTime,
    ) -> Result<RingAccount, StoreError>;

    /// Soft-deletes the account and erases its stored token. When it was the default,
    /// the user's oldest remaining live account becomes the default.
    ///
    /// # Errors
    /// As [`get_ring_account`](Self::get_ring_account).
    async fn delete_ring_account(
        &self,
        id: RingAccountId,
        user_id: UserId,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Stores a sealed refresh token and sets the status (normally `Linked`), atomically.
    ///
    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the account does not exist or is deleted.
    async fn save_ring_token(
        &self,
        id: RingAccountId,
        sealed_token: Vec<u8>,
        status: RingLinkStatus,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// The sealed refresh token of a live account, `Ok(None)` when none is stored.
    ///
    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the account does not exist or is deleted.
    async fn ring_token(&self, id: RingAccountId) -> Result<Option<Vec<u8>>, StoreError>;

    /// Sets `NeedsRelink` only while the stored sealed token is still `refused_sealed`
    /// (compare-and-set in one statement): `Ok(false)` when another token replaced it,
    /// so a refusal of the old token never marks a relinked account.
    ///
    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the account does not exist or is deleted.
    async fn mark_needs_relink_if_token(
        &self,
        id: RingAccountId,
        refused_sealed: Vec<u8>,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the account does not exist or is deleted.
    async fn set_ring_status(
        &self,
        id: RingAccountId,
        status: RingLinkStatus,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;
}
