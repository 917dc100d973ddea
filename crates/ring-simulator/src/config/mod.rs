//! Simulator configuration: accounts with their locations and devices, plus protocol knobs.
//!
//! The same types are read from the binary's TOML/JSON file and built in code by tests.

mod account;
mod device;

use std::path::Path;

use serde::Deserialize;

use crate::error::SimError;

pub use account::{AccountSpec, TwoFactorSpec};
pub use device::{DeviceGroup, DeviceSpec, HealthSpec, LocationSpec};

/// The location every device belongs to when an account configures none.
pub const DEFAULT_LOCATION_ID: &str = "9b5c1c4e-0000-4000-8000-00000000a001";

/// Everything the simulator needs to start.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimConfig {
    /// `expires_in` of issued access tokens (Ring uses 3600).
    #[serde(default = "default_expires_in")]
    pub token_expires_in_secs: u64,
    /// When false (the default) each refresh token works once: a refresh returns a new one and
    /// invalidates the old. Ring's real behaviour is unknown (ring-protocol.md §2).
    #[serde(default)]
    pub reusable_refresh_tokens: bool,
    /// Limit on 2FA codes sent by SMS/email (Ring: about 10 per 10 minutes).
    #[serde(default)]
    pub code_rate_limit: CodeRateLimit,
    /// Sessions older than this answer like missing ones. `None`: sessions never expire.
    #[serde(default)]
    pub session_ttl_secs: Option<u64>,
    /// Answer token requests without a `User-Agent` with Ring's 406 HTML page.
    #[serde(default = "default_true")]
    pub require_user_agent: bool,
    /// How many requests the simulator keeps for inspection (oldest dropped first).
    #[serde(default = "default_max_recorded")]
    pub max_recorded_requests: usize,
    /// actix worker threads.
    #[serde(default = "default_workers")]
    pub workers: usize,
    /// The Ring accounts that can log in.
    #[serde(default)]
    pub accounts: Vec<AccountSpec>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            token_expires_in_secs: default_expires_in(),
            reusable_refresh_tokens: false,
            code_rate_limit: CodeRateLimit::default(),
            session_ttl_secs: None,
            require_user_agent: true,
            max_recorded_requests: default_max_recorded(),
            workers: default_workers(),
            accounts: Vec::new(),
        }
    }
}

impl SimConfig {
    /// Adds an account.
    pub fn with_account(mut self, account: AccountSpec) -> Self {
        self.accounts.push(account);
        self
    }

    /// Sets `expires_in` of issued access tokens.
    pub fn with_token_expires_in_secs(mut self, secs: u64) -> Self {
        self.token_expires_in_secs = secs;
        self
    }

    /// Lets refresh tokens be used more than once.
    pub fn with_reusable_refresh_tokens(mut self, reusable: bool) -> Self {
        self.reusable_refresh_tokens = reusable;
        self
    }

    /// Sets the 2FA code send limit.
    pub fn with_code_rate_limit(mut self, limit: CodeRateLimit) -> Self {
        self.code_rate_limit = limit;
        self
    }

    /// Makes sessions expire after `secs`.
    pub fn with_session_ttl_secs(mut self, secs: u64) -> Self {
        self.session_ttl_secs = Some(secs);
        self
    }

    /// Reads a `.toml` or `.json` file (chosen by extension; anything else is tried as TOML).
    pub fn from_file(path: &Path) -> Result<Self, SimError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| SimError::Config(format!("cannot read {}: {e}", path.display())))?;
        let is_json = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
        if is_json {
            Self::from_json_str(&text)
        } else {
            Self::from_toml_str(&text)
        }
    }

    /// Parses a TOML document.
    pub fn from_toml_str(text: &str) -> Result<Self, SimError> {
        toml::from_str(text).map_err(|e| SimError::Config(e.to_string()))
    }

    /// Parses a JSON document.
    pub fn from_json_str(text: &str) -> Result<Self, SimError> {
        serde_json::from_str(text).map_err(|e| SimError::Config(e.to_string()))
    }
}

/// How many 2FA codes may be sent to one account within a window.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRateLimit {
    /// Codes allowed per window.
    pub max_codes: u32,
    /// Window length in seconds.
    pub window_secs: u64,
    /// Status of the "too many requests" answer. Ring's real status is unknown
    /// (ring-protocol.md §1.5); clients must recognise the body instead.
    #[serde(default = "default_rate_limit_status")]
    pub status: u16,
}

impl Default for CodeRateLimit {
    fn default() -> Self {
        Self {
            max_codes: 10,
            window_secs: 600,
            status: default_rate_limit_status(),
        }
    }
}

fn default_expires_in() -> u64 {
    3600
}
pub(crate) fn default_true() -> bool {
    true
}
fn default_max_recorded() -> usize {
    1000
}
fn default_workers() -> usize {
    1
}
fn default_rate_limit_status() -> u16 {
    429
}
