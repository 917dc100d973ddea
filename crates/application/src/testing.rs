//! Mocks and fixtures shared by the use-case tests.

use std::sync::Arc;

use latchkey_domain::{LockState, PersonName, Role, Structure, User, UserId, Username};
use latchkey_ports::login_audit::MockLoginAuditStore;
use latchkey_ports::security::{MockPasswordHasher, MockRandomSource};
use latchkey_ports::sessions::MockSessionStore;
use latchkey_ports::settings::MockSettingsStore;
use latchkey_ports::users::MockUserStore;
use latchkey_ports::{Clock, MockStoreHealth, SecretBox, SecretBoxError};
use time::OffsetDateTime;
use time::macros::datetime;

use crate::ports::Ports;

pub const NOW: OffsetDateTime = datetime!(2026-03-01 10:00 UTC);

#[derive(Debug)]
pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

#[derive(Default)]
pub struct Mocks {
    pub users: MockUserStore,
    pub sessions: MockSessionStore,
    pub audit: MockLoginAuditStore,
    pub settings: MockSettingsStore,
    pub health: MockStoreHealth,
    pub hasher: MockPasswordHasher,
    pub random: MockRandomSource,
}

impl Mocks {
    pub fn into_ports(self) -> Ports {
        Ports {
            users: Arc::new(self.users),
            sessions: Arc::new(self.sessions),
            login_audit: Arc::new(self.audit),
            settings: Arc::new(self.settings),
            health: Arc::new(self.health),
            hasher: Arc::new(self.hasher),
            clock: Arc::new(FixedClock(NOW)),
            random: Arc::new(self.random),
        }
    }
}

pub fn user(id: i64, name: &str, role: Role) -> User {
    User {
        id: UserId(id),
        username: Username::parse(name).unwrap(),
        role,
        first_name: PersonName::default(),
        last_name: PersonName::default(),
        structure: Structure::default(),
        disabled: false,
        must_change_password: false,
        lock: LockState::default(),
        created_at: NOW,
        updated_at: NOW,
    }
}

/// Reversible but never the identity, so tests can see that plaintext is not stored.
pub struct XorBox;

impl SecretBox for XorBox {
    fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, SecretBoxError> {
        let mut out: Vec<u8> = aad.len().to_be_bytes().to_vec();
        out.extend(aad);
        out.extend(plaintext.iter().map(|b| b ^ 0x5a));
        Ok(out)
    }

    fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, SecretBoxError> {
        let n = aad.len();
        if sealed.len() < 8 + n || &sealed[8..8 + n] != aad {
            return Err(SecretBoxError::Undecryptable);
        }
        Ok(sealed[8 + n..].iter().map(|b| b ^ 0x5a).collect())
    }
}
