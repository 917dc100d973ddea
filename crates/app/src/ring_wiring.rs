//! Ring and the guest links that open doors through it: one real client and gateway
//! (base URLs from configuration, one session cache, tokens sealed with a key derived
//! from the server secret), and the services on top of it for each set of store ports.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use latchkey_application::{GuestPorts, GuestService, RingPorts, RingService, SealedTokenVault};
use latchkey_domain::{GuestLinkPolicy, RingAuthPolicy};
use latchkey_ports::{Clock, IntercomGateway, RandomSource, SecretBox};

use crate::config::Config;
use crate::metered::MeteredGateway;
use crate::security::{AesGcmSecretBox, OsRandom, SystemClock};
use crate::stores::StorePorts;

/// The gateway and what every service on it shares.
pub struct RingWiring {
    gateway: Arc<dyn IntercomGateway>,
    secret_box: Arc<dyn SecretBox>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn RandomSource>,
    guest_policy: GuestLinkPolicy,
}

impl RingWiring {
    /// The gateway keeps Ring's refresh tokens through `vault_store` (rare writes: a
    /// link, a rotation), wherever the call that needed one came from.
    pub fn new(config: &Config, vault_store: &StorePorts, secret: &[u8]) -> anyhow::Result<Self> {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let secret_box = Arc::new(AesGcmSecretBox::from_server_secret(secret)?);
        let vault = Arc::new(SealedTokenVault::new(
            vault_store.ring_accounts.clone(),
            secret_box.clone(),
            clock.clone(),
        ));
        let client_config =
            latchkey_ring::RingClientConfig::new(&config.ring_oauth_url, &config.ring_api_url)
                .with_request_timeout(Duration::from_secs(config.ring_timeout_secs))
                .with_unlock_timeout(Duration::from_secs(config.ring_unlock_timeout_secs));
        let ring_gateway =
            latchkey_ring::RingGateway::new(client_config, vault).context("building the Ring client")?;
        Ok(Self {
            gateway: Arc::new(MeteredGateway(Arc::new(ring_gateway))),
            secret_box,
            clock,
            random: Arc::new(OsRandom),
            guest_policy: GuestLinkPolicy {
                max_window: time::Duration::days(config.guest_max_window_days),
            },
        })
    }

    /// The Ring and guest services on `store`, sharing this gateway.
    pub fn services(&self, store: &StorePorts) -> (RingService, GuestService) {
        let guest_ports = GuestPorts {
            links: store.guest_links.clone(),
            templates: store.guest_templates.clone(),
            accounts: store.ring_accounts.clone(),
            gateway: self.gateway.clone(),
            audit: store.unlock_audit.clone(),
            secret_box: self.secret_box.clone(),
            clock: self.clock.clone(),
            random: self.random.clone(),
        };
        let ports = RingPorts {
            users: store.users.clone(),
            accounts: store.ring_accounts.clone(),
            attempts: store.ring_attempts.clone(),
            audit: store.unlock_audit.clone(),
            health: store.device_health.clone(),
            gateway: self.gateway.clone(),
            secret_box: self.secret_box.clone(),
            clock: self.clock.clone(),
            random: self.random.clone(),
        };
        (
            RingService::new(ports, RingAuthPolicy::default()),
            GuestService::new(guest_ports, self.guest_policy),
        )
    }
}
