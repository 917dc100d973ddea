//! Counting failed logins exactly under concurrency.

use latchkey_domain::{LockState, LockoutPolicy, User};
use latchkey_ports::UserStore;
use time::OffsetDateTime;

use crate::AppError;

/// Compare-and-swap attempts before giving up; each lost race means another failure was
/// counted meanwhile, so more than a handful means a storm, which the lock already covers.
const MAX_CAS_ATTEMPTS: usize = 8;

/// Adds one failure to `user`'s count; returns the new state.
pub(super) async fn record_failure(
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

/// Clears the count after a success or by an admin; a lost race is harmless.
pub(super) async fn clear(users: &dyn UserStore, user: &User) -> Result<(), AppError> {
    if user.lock != LockState::default() {
        users
            .swap_lock_state(user.id, user.lock, LockState::default())
            .await?;
    }
    Ok(())
}
