//! Ring: linking accounts (with Ring's two-factor flow), listing intercoms and their
//! health, opening the door, and the unlock audit.

mod accounts;
mod audit;
mod devices;
mod link;
mod secrets;
mod unlock;
mod vault;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use latchkey_domain::RingAuthPolicy;
use latchkey_ports::{
    Clock, DeviceHealthStore, IntercomGateway, RandomSource, RingAccountStore, RingAuthAttemptStore,
    SecretBox, UnlockAuditStore, UserStore,
};

pub use devices::{AccountIntercoms, UserDevices};
pub use link::{LinkOutcome, StartLink};
pub use unlock::UnlockRequest;
pub(crate) use unlock::error_code;
pub use vault::SealedTokenVault;

#[derive(Clone)]
pub struct RingPorts {
    pub users: Arc<dyn UserStore>,
    pub accounts: Arc<dyn RingAccountStore>,
    pub attempts: Arc<dyn RingAuthAttemptStore>,
    pub audit: Arc<dyn UnlockAuditStore>,
    pub health: Arc<dyn DeviceHealthStore>,
    pub gateway: Arc<dyn IntercomGateway>,
    pub secret_box: Arc<dyn SecretBox>,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn RandomSource>,
}

impl std::fmt::Debug for RingPorts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RingPorts")
    }
}

#[derive(Debug, Clone)]
pub struct RingService {
    ports: RingPorts,
    policy: RingAuthPolicy,
}

impl RingService {
    pub fn new(ports: RingPorts, policy: RingAuthPolicy) -> Self {
        Self { ports, policy }
    }
}
