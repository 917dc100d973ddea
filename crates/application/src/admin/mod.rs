//! What administrators do: manage users, clear lockouts, read the login audit.

mod login_audit;
mod users;

pub use users::{CreateUserCommand, UpdateUserCommand};

use crate::ports::{Policies, Ports};

#[derive(Debug, Clone)]
pub struct AdminUsers {
    ports: Ports,
    policies: Policies,
}

impl AdminUsers {
    pub fn new(ports: Ports, policies: Policies) -> Self {
        Self { ports, policies }
    }
}

#[cfg(test)]
mod tests;
