//! The bundle of ports and policies the services are built from.

use std::sync::Arc;

use latchkey_domain::{LockoutPolicy, PasswordPolicy, SessionPolicy};
use latchkey_ports::{
    Clock, LoginAuditStore, PasswordHasher, RandomSource, SessionStore, SettingsStore, StoreHealth, UserStore,
};

/// Every outside dependency of the identity slice; the composition root fills it.
#[derive(Clone)]
pub struct Ports {
    pub users: Arc<dyn UserStore>,
    pub sessions: Arc<dyn SessionStore>,
    pub login_audit: Arc<dyn LoginAuditStore>,
    pub settings: Arc<dyn SettingsStore>,
    pub health: Arc<dyn StoreHealth>,
    pub hasher: Arc<dyn PasswordHasher>,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn RandomSource>,
}

impl std::fmt::Debug for Ports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ports").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Policies {
    pub password: PasswordPolicy,
    pub lockout: LockoutPolicy,
    pub session: SessionPolicy,
}
