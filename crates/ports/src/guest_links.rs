//! Guest links and their templates.
//!
//! A link is found by the SHA-256 of its token (hex), never by the token itself; the
//! store also keeps the token sealed by the secret box so its owner can copy the URL
//! again. Using a link is one conditional update ([`GuestLinkStore::reserve_guest_use`]),
//! never a read followed by a write.

use latchkey_domain::{
    GuestLink, GuestLinkId, GuestLinkTemplate, IntercomId, RingAccount, RingAccountId, UserId,
};
use time::OffsetDateTime;

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct NewGuestLink {
    pub owner_id: UserId,
    pub ring_account_id: RingAccountId,
    pub intercom_id: IntercomId,
    pub label: Option<String>,
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// The token sealed by the secret box (owner and hash bound in).
    pub sealed_token: Vec<u8>,
    pub starts_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub max_uses: Option<u32>,
    pub now: OffsetDateTime,
}

/// A link with its sealed token, as its owner lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedGuestLink {
    pub link: GuestLink,
    pub sealed_token: Vec<u8>,
}

/// One newest-first slice of an owner's links (keyset paging: stable while links are
/// created, and as cheap for the thousandth page as for the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSlice {
    /// Only links with a smaller id (older ones); all when `None`.
    pub before: Option<GuestLinkId>,
    pub limit: u32,
}

/// Who is at the door: what the audit row written with a reservation records beside
/// the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestAttempt {
    /// When the attempt was made; also the `now` the link's window is checked at.
    pub at: OffsetDateTime,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The audit row a reservation wrote with outcome `unknown`, to be settled by
/// [`UnlockAuditStore::settle_unlock`](crate::UnlockAuditStore::settle_unlock) once
/// Ring has answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PendingUnlock(pub i64);

/// What one attempt to take a use of a link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// One use was taken: the link as it is now (`uses` includes this one), its Ring
    /// account, read by the same statement (the unlock needs it next, and a second query
    /// would be a second round trip on the door's critical path), and the audit row
    /// committed with the use.
    Reserved {
        link: GuestLink,
        account: RingAccount,
        pending: PendingUnlock,
    },
    /// Nothing changed: the link (as read right after) was not usable at `now`.
    Refused(GuestLink),
    /// No link has that token hash.
    Unknown,
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait GuestLinkStore: Send + Sync + 'static {
    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the owner does not exist, and
    /// [`StoreError::Conflict`] when the token hash is already taken.
    async fn create_guest_link(&self, link: NewGuestLink) -> Result<GuestLink, StoreError>;

    /// The owner's links with their sealed tokens, newest first (by id), at most
    /// `slice.limit` of them, only those older than `slice.before` when it is given.
    async fn list_guest_links(
        &self,
        owner_id: UserId,
        slice: LinkSlice,
    ) -> Result<Vec<OwnedGuestLink>, StoreError>;

    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the link does not exist or belongs to
    /// another user — callers must not learn which.
    async fn get_guest_link(&self, id: GuestLinkId, owner_id: UserId) -> Result<GuestLink, StoreError>;

    /// The link a guest holds, by token hash. Links whose owner is disabled or whose
    /// Ring account was deleted read as `disabled` (here and everywhere else), because
    /// they can no longer open anything.
    async fn find_guest_link_by_token(&self, token_hash: &str) -> Result<Option<GuestLink>, StoreError>;

    /// Disables the link for good. Idempotent.
    ///
    /// # Errors
    /// As [`get_guest_link`](Self::get_guest_link).
    async fn disable_guest_link(
        &self,
        id: GuestLinkId,
        owner_id: UserId,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Moves the expiry; returns the link as it is now. The caller has checked the rule
    /// (see `GuestLink::check_new_expiry`).
    ///
    /// # Errors
    /// As [`get_guest_link`](Self::get_guest_link).
    async fn set_guest_link_expiry(
        &self,
        id: GuestLinkId,
        owner_id: UserId,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<GuestLink, StoreError>;

    /// Takes one use in one conditional statement: the link is not disabled, its owner
    /// is enabled, its Ring account is live (and its owner's), `starts_at <= now < expires_at`, and
    /// `uses < max_uses` (or no limit). Of any number of concurrent calls on a link with
    /// k uses left, exactly k succeed.
    ///
    /// A taken use is committed together with the attempt's audit row, outcome
    /// `unknown` and no error code (one durable commit before the door is asked to
    /// open): should the process stop before the row is settled, the trail still says
    /// an attempt was made and that its outcome is not known. A refused attempt writes
    /// nothing here.
    async fn reserve_guest_use(
        &self,
        token_hash: &str,
        attempt: &GuestAttempt,
    ) -> Result<Reservation, StoreError>;

    /// Gives back a use taken by `reserve_guest_use` when the door could not be
    /// opened. Never takes `uses` below zero. A link deleted meanwhile is not an error.
    async fn release_guest_use(&self, id: GuestLinkId) -> Result<(), StoreError>;
}

#[derive(Debug, Clone)]
pub struct NewGuestTemplate {
    pub owner_id: UserId,
    pub name: String,
    pub duration_hours: i64,
    pub max_uses: Option<u32>,
    pub now: OffsetDateTime,
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait GuestTemplateStore: Send + Sync + 'static {
    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the owner does not exist.
    async fn create_guest_template(
        &self,
        template: NewGuestTemplate,
    ) -> Result<GuestLinkTemplate, StoreError>;

    /// The owner's templates, ordered by id.
    async fn list_guest_templates(&self, owner_id: UserId) -> Result<Vec<GuestLinkTemplate>, StoreError>;

    /// # Errors
    /// MUST return [`StoreError::NotFound`] when the template does not exist or belongs
    /// to another user.
    async fn get_guest_template(&self, id: i64, owner_id: UserId) -> Result<GuestLinkTemplate, StoreError>;

    /// Deletes the template; links made from it keep their values.
    ///
    /// # Errors
    /// As [`get_guest_template`](Self::get_guest_template).
    async fn delete_guest_template(&self, id: i64, owner_id: UserId) -> Result<(), StoreError>;
}
