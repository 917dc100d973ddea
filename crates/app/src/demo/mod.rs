//! `latchkey --demo`: the service against a simulated Ring cloud started in-process, on
//! its own database (`<data dir>/demo.db`), seeded through the use cases with something
//! to try at once.

mod seed;

use anyhow::{Context, anyhow};
use latchkey_ring_sim::{AccountSpec, DeviceSpec, RingSimulator, RunningSim, SimConfig, TwoFactorSpec};

pub use seed::{Seeded, seed};

use crate::config::Config;

/// The simulator's example configuration (the one the README's standalone simulator
/// uses), built into the binary so the demo needs no file next to it.
const SIM_CONFIG: &str = include_str!("../../../ring-simulator/examples/sim.toml");

/// The running simulator and the Ring account and intercom the demo resident gets.
#[derive(Debug)]
pub struct Demo {
    pub sim: RunningSim,
    pub account: AccountSpec,
    pub intercom: DeviceSpec,
}

impl Demo {
    /// Starts the simulator on a free local port and points `config`'s Ring adapter at it.
    pub fn start(config: &mut Config) -> anyhow::Result<Self> {
        let sim_config =
            SimConfig::from_toml_str(SIM_CONFIG).context("the demo's Ring simulator configuration")?;
        // The first account that logs in without a second factor and has an intercom
        // that is online: the one a refresh token can be issued for and a door opened.
        let (account, intercom) = sim_config
            .accounts
            .iter()
            .filter(|a| matches!(a.two_factor, TwoFactorSpec::None))
            .find_map(|a| {
                a.devices
                    .iter()
                    .find(|d| d.online)
                    .map(|d| (a.clone(), d.clone()))
            })
            .ok_or_else(|| {
                anyhow!("the simulator configuration has no account without 2FA with an online intercom")
            })?;
        let sim = RingSimulator::start(sim_config).context("starting the Ring simulator")?;
        config.ring_oauth_url = sim.base_url().to_owned();
        config.ring_api_url = sim.base_url().to_owned();
        Ok(Self {
            sim,
            account,
            intercom,
        })
    }

    pub async fn stop(self) {
        if let Err(e) = self.sim.stop().await {
            tracing::warn!(error = %e, "stopping the Ring simulator");
        }
    }
}
