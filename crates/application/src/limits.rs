//! The runtime rate limits: read on every request, so served from memory; written by
//! admins through the store, and re-read from it periodically so that other instances'
//! changes arrive too.

use std::sync::{Arc, RwLock};

use latchkey_domain::{Actor, RateLimits, RateLimitsPatch};
use latchkey_ports::SettingsStore;

use crate::AppError;

#[derive(Clone)]
pub struct RateLimitSettings {
    store: Arc<dyn SettingsStore>,
    current: Arc<RwLock<RateLimits>>,
}

impl std::fmt::Debug for RateLimitSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimitSettings")
            .field("current", &self.current())
            .finish()
    }
}

impl RateLimitSettings {
    /// Starts from the defaults; call [`refresh`](Self::refresh) before serving.
    pub fn new(store: Arc<dyn SettingsStore>) -> Self {
        Self {
            store,
            current: Arc::new(RwLock::new(RateLimits::default())),
        }
    }

    /// The limits in force now. Never blocks on I/O.
    pub fn current(&self) -> RateLimits {
        // A poisoned lock still holds a valid value: two u32 written together.
        *self.current.read().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, limits: RateLimits) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = limits;
    }

    /// Loads the stored limits (defaults when none were saved).
    pub async fn refresh(&self) -> Result<RateLimits, AppError> {
        let limits = self.store.rate_limits().await?.unwrap_or_default();
        self.set(limits);
        Ok(limits)
    }

    pub fn get(&self, actor: Actor) -> Result<RateLimits, AppError> {
        actor.require_admin()?;
        Ok(self.current())
    }

    /// Validates and saves; in force for the next request on this instance.
    pub async fn update(&self, actor: Actor, patch: RateLimitsPatch) -> Result<RateLimits, AppError> {
        actor.require_admin()?;
        let base = self.store.rate_limits().await?.unwrap_or_default();
        let next = base.apply(patch)?;
        self.store.save_rate_limits(next).await?;
        self.set(next);
        tracing::info!(actor = %actor.user_id, guest_per_minute = next.guest_per_minute, auth_per_minute = next.auth_per_minute, "rate limits changed");
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use latchkey_domain::{Actor, Role, UserId};
    use latchkey_ports::settings::MockSettingsStore;

    use super::*;

    #[tokio::test]
    async fn update_validates_saves_and_applies_at_once() {
        let mut store = MockSettingsStore::new();
        store.expect_rate_limits().returning(|| Ok(None));
        store
            .expect_save_rate_limits()
            .times(1)
            .withf(|l| l.guest_per_minute == 3)
            .returning(|_| Ok(()));
        let s = RateLimitSettings::new(Arc::new(store));
        let admin = Actor {
            user_id: UserId(1),
            role: Role::Admin,
        };
        let patch = RateLimitsPatch {
            guest_per_minute: Some(3),
            auth_per_minute: None,
        };
        let next = s.update(admin, patch).await.unwrap();
        assert_eq!(s.current(), next);
        assert_eq!(next.auth_per_minute, RateLimits::default().auth_per_minute);
        let bad = RateLimitsPatch {
            guest_per_minute: Some(0),
            auth_per_minute: None,
        };
        assert!(matches!(
            s.update(admin, bad).await,
            Err(AppError::Validation {
                field: "guestPerMinute",
                ..
            })
        ));
        assert_eq!(s.current(), next, "a refused update changes nothing");
    }

    #[tokio::test]
    async fn residents_cannot_read_or_change_limits() {
        let s = RateLimitSettings::new(Arc::new(MockSettingsStore::new()));
        let resident = Actor {
            user_id: UserId(2),
            role: Role::User,
        };
        assert!(s.get(resident).is_err());
        assert!(s.update(resident, RateLimitsPatch::default()).await.is_err());
    }
}
