//! Counting failed logins exactly under concurrency, and clearing the count.

use latchkey_domain::{LockState, LockoutPolicy, User};
use latchkey_ports::UserStore;
use time::OffsetDateTime;

use crate::AppError;

/// Compare-and-swap attempts before giving up; each lost race means another failure was
/// counted meanwhile, so more than a handful means a storm, which the lock already covers.
const MAX_CAS_ATTEMPTS: usize = 8;

/// Adds one failure to `user`'s count; returns the new state.
pub(crate) async fn record_failure(
    users: &dyn UserStore,
    policy: &LockoutPolicy,
    user: &User,
    now: OffsetDateTime,
) -> Result<LockState, AppError> {
    let mut current = user.lock;
    for _ in 0..MAX_CAS_ATTEMPTS {
        let next = policy.after_failure(current, now);
        if users.swap_lock_state(user.id, current, next).await? {
            return Ok(next);
        }
        current = users.get_user(user.id).await?.lock;
    }
    Err(AppError::Internal(
        "lockout counter kept changing under us".into(),
    ))
}

/// Resets the count (after a successful login, or by an admin). Retries when a failed
/// login bumps the counter between our read and our write, so a clear is never lost.
pub(crate) async fn clear(users: &dyn UserStore, user: &User) -> Result<(), AppError> {
    let mut current = user.lock;
    for _ in 0..MAX_CAS_ATTEMPTS {
        if current == LockState::default()
            || users
                .swap_lock_state(user.id, current, LockState::default())
                .await?
        {
            return Ok(());
        }
        current = users
            .get_user(user.id)
            .await
            .map_err(AppError::store("user"))?
            .lock;
    }
    Err(AppError::Internal(
        "lockout counter kept changing under us".into(),
    ))
}
