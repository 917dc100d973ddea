//! The simulator's shared, mutable world: accounts, tokens, sessions, faults and records.
//!
//! One `std::sync::Mutex` guards everything; it is never held across an `.await`.

mod auth;
mod masking;

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::config::{AccountSpec, CodeRateLimit, DEFAULT_LOCATION_ID, LocationSpec, SimConfig};
use crate::error::SimError;
use crate::faults::{Endpoint, FaultQueue};
use crate::record::Recorder;

pub(crate) use auth::{IssuedTokens, PasswordOutcome};

/// Knobs fixed at start-up.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) token_expires_in: Duration,
    pub(crate) reusable_refresh_tokens: bool,
    pub(crate) code_rate_limit: CodeRateLimit,
    pub(crate) session_ttl: Option<Duration>,
    pub(crate) require_user_agent: bool,
}

/// One simulated Ring account and its per-account state.
#[derive(Debug)]
pub(crate) struct Account {
    pub(crate) id: i64,
    pub(crate) spec: AccountSpec,
    /// When 2FA codes were sent, for the send limit.
    pub(crate) code_sends: VecDeque<Instant>,
}

/// Who an access token belongs to and until when it is valid.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccessGrant {
    pub(crate) account: usize,
    pub(crate) expires_at: Instant,
}

/// Everything behind the lock. No `Debug`: it holds live tokens.
pub(crate) struct Inner {
    pub(crate) accounts: Vec<Account>,
    pub(crate) access_tokens: HashMap<String, AccessGrant>,
    pub(crate) refresh_tokens: HashMap<String, usize>,
    /// (account index, hardware id) → creation time.
    pub(crate) sessions: HashMap<(usize, String), Instant>,
    pub(crate) faults: HashMap<Endpoint, FaultQueue>,
    pub(crate) recorder: Recorder,
}

/// Shared state of one running simulator.
pub(crate) struct SimState {
    inner: Mutex<Inner>,
    pub(crate) settings: Settings,
    /// Flips to true when the simulator stops, releasing hanging requests.
    shutdown: watch::Sender<bool>,
}

impl std::fmt::Debug for SimState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimState")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl SimState {
    pub(crate) fn new(config: SimConfig) -> Result<Self, SimError> {
        let settings = Settings {
            token_expires_in: Duration::from_secs(config.token_expires_in_secs),
            reusable_refresh_tokens: config.reusable_refresh_tokens,
            code_rate_limit: config.code_rate_limit,
            session_ttl: config.session_ttl_secs.map(Duration::from_secs),
            require_user_agent: config.require_user_agent,
        };
        let mut inner = Inner {
            accounts: Vec::new(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            sessions: HashMap::new(),
            faults: HashMap::new(),
            recorder: Recorder::new(config.max_recorded_requests),
        };
        for account in config.accounts {
            inner.add_account(account)?;
        }
        let (shutdown, _) = watch::channel(false);
        Ok(Self {
            inner: Mutex::new(inner),
            settings,
            shutdown,
        })
    }

    /// Locks the state. A panic in another holder cannot leave it half-updated in a way
    /// that matters for a test double, so poisoning is ignored.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn begin_shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    /// Resolves when the simulator is stopping.
    pub(crate) async fn stopped(&self) {
        let mut rx = self.shutdown.subscribe();
        // An error means the sender is gone, which also means we are shutting down.
        let _ = rx.wait_for(|stopping| *stopping).await;
    }
}

impl Inner {
    pub(crate) fn add_account(&mut self, mut spec: AccountSpec) -> Result<(), SimError> {
        if self.find_account(&spec.email).is_some() {
            return Err(SimError::DuplicateAccount(spec.email));
        }
        for device in &spec.devices {
            if self.find_device(device.id).is_some() {
                return Err(SimError::DuplicateDevice(device.id));
            }
        }
        if spec.locations.is_empty() {
            spec.locations
                .push(LocationSpec::new(DEFAULT_LOCATION_ID, "Home"));
        }
        // Stable, Ring-looking ids (9 digits) so owner ids in responses do not change.
        let id = 762_490_000 + i64::try_from(self.accounts.len()).unwrap_or(0);
        self.accounts.push(Account {
            id,
            spec,
            code_sends: VecDeque::new(),
        });
        Ok(())
    }

    pub(crate) fn find_account(&self, email: &str) -> Option<usize> {
        self.accounts
            .iter()
            .position(|a| a.spec.email.eq_ignore_ascii_case(email))
    }

    pub(crate) fn require_account(&self, email: &str) -> Result<usize, SimError> {
        self.find_account(email)
            .ok_or_else(|| SimError::UnknownAccount(email.to_owned()))
    }

    /// (account index, device index) of a device id.
    pub(crate) fn find_device(&self, device_id: i64) -> Option<(usize, usize)> {
        self.accounts.iter().enumerate().find_map(|(a, account)| {
            account
                .spec
                .devices
                .iter()
                .position(|d| d.id == device_id)
                .map(|d| (a, d))
        })
    }
}
