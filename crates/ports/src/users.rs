//! Users, their password hash and their lockout bookkeeping.

use latchkey_domain::{LockState, PersonName, Role, Structure, User, UserId, Username};
use time::OffsetDateTime;

use crate::{PasswordHash, StoreError};

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub role: Role,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub structure: Structure,
    pub password_hash: PasswordHash,
    pub must_change_password: bool,
    pub now: OffsetDateTime,
}

/// A user with the hash to verify a login against.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: PasswordHash,
}

/// Changes to a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserUpdate {
    pub username: Option<Username>,
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    pub structure: Option<Structure>,
    pub disabled: Option<bool>,
    /// A new hash and whether the user must change it at next login.
    pub password: Option<(PasswordHash, bool)>,
}

impl UserUpdate {
    /// Whether applying this update must end the user's sessions: a new password or
    /// being disabled (ASVS 7.4.2 / 7.4.3).
    pub fn revokes_sessions(&self) -> bool {
        self.password.is_some() || self.disabled == Some(true)
    }
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait::async_trait]
pub trait UserStore: Send + Sync + 'static {
    /// # Errors
    /// MUST return [`StoreError::Conflict`] when the username is taken, ignoring case.
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError>;

    async fn count_users(&self) -> Result<u64, StoreError>;

    /// # Errors
    /// MUST return [`StoreError::NotFound`] when no user has this id.
    async fn get_user(&self, id: UserId) -> Result<User, StoreError>;

    /// Looks a user up by the case-folded key of [`Username::key`]; `Ok(None)` when absent.
    async fn find_credentials(&self, username_key: &str) -> Result<Option<UserCredentials>, StoreError>;

    /// All users, ordered by id.
    async fn list_users(&self) -> Result<Vec<User>, StoreError>;

    /// Applies `update` and, when [`UserUpdate::revokes_sessions`], deletes every session
    /// of the user in the same transaction, so no request can slip in between.
    ///
    /// # Errors
    /// MUST return [`StoreError::NotFound`] for an unknown id and
    /// [`StoreError::Conflict`] when a new username is taken.
    async fn update_user(
        &self,
        id: UserId,
        update: UserUpdate,
        now: OffsetDateTime,
    ) -> Result<User, StoreError>;

    /// Replaces the lockout state only if it still equals `expected`; returns whether it
    /// did. Concurrent failed logins therefore each count exactly once.
    ///
    /// # Errors
    /// MUST return [`StoreError::NotFound`] for an unknown id.
    async fn swap_lock_state(
        &self,
        id: UserId,
        expected: LockState,
        new: LockState,
    ) -> Result<bool, StoreError>;

    /// Deletes the user and everything that belongs to them (sessions; later links,
    /// templates, Ring accounts). Audit rows keep their text but lose the link.
    ///
    /// # Errors
    /// MUST return [`StoreError::NotFound`] for an unknown id.
    async fn delete_user(&self, id: UserId) -> Result<(), StoreError>;
}
