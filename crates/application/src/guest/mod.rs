//! Guest links: a resident makes them (from scratch or from a template) and sends the
//! URL; a guest opens the door with it inside its window, at most `max_uses` times.

mod links;
mod public;
mod templates;
mod token;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use latchkey_domain::GuestLinkPolicy;
use latchkey_ports::{
    Clock, GuestLinkStore, GuestTemplateStore, IntercomGateway, RandomSource, RingAccountStore, SecretBox,
    UnlockAuditStore,
};

pub use links::{CreateLink, LinkPage, LinkPageQuery, LinkView};
pub use public::GuestView;
pub use token::GuestToken;

/// Labels and template names are shown on a phone screen; keep them short.
pub const MAX_LABEL_CHARS: usize = 100;

#[derive(Clone)]
pub struct GuestPorts {
    pub links: Arc<dyn GuestLinkStore>,
    pub templates: Arc<dyn GuestTemplateStore>,
    pub accounts: Arc<dyn RingAccountStore>,
    pub gateway: Arc<dyn IntercomGateway>,
    pub audit: Arc<dyn UnlockAuditStore>,
    pub secret_box: Arc<dyn SecretBox>,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn RandomSource>,
}

impl std::fmt::Debug for GuestPorts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GuestPorts")
    }
}

#[derive(Debug, Clone)]
pub struct GuestService {
    ports: GuestPorts,
    policy: GuestLinkPolicy,
}

impl GuestService {
    pub fn new(ports: GuestPorts, policy: GuestLinkPolicy) -> Self {
        Self { ports, policy }
    }
}
