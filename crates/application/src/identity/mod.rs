//! Logging in and out, recognising a session, changing one's own password.

mod authenticate;
mod change_password;
mod login;

use std::fmt;

use latchkey_domain::{Actor, Session, User};
use sha2::{Digest, Sha256};

use crate::ports::{Policies, Ports};

pub use login::LoginCommand;

/// The random session id a client holds (inside its signed token). Never stored: the
/// store keeps its SHA-256. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionSecret(String);

impl SessionSecret {
    pub fn new(raw: impl Into<String>) -> Self {
        Self(raw.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The form sessions are stored and looked up by.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for SessionSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionSecret(<redacted>)")
    }
}

/// Where a request came from, for audit rows. Bounded and cleaned by the HTTP layer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A new session: the secret for the client, and whom it belongs to.
#[derive(Debug, Clone)]
pub struct LoginSuccess {
    pub secret: SessionSecret,
    pub session: Session,
    pub user: User,
}

/// The caller of an authenticated request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub session: Session,
}

impl Principal {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user.id,
            role: self.user.role,
        }
    }
}

/// The identity use cases.
#[derive(Debug, Clone)]
pub struct Identity {
    ports: Ports,
    policies: Policies,
}

impl Identity {
    pub fn new(ports: Ports, policies: Policies) -> Self {
        Self { ports, policies }
    }

    pub fn policies(&self) -> &Policies {
        &self.policies
    }
}

#[cfg(test)]
mod tests;
