//! The control surface tests use on a running simulator: inject faults, read counters and
//! recorded requests, change accounts, tokens and sessions.

use std::sync::Arc;
use std::time::Instant;

use crate::config::{AccountSpec, DeviceSpec, LocationSpec};
use crate::error::SimError;
use crate::faults::{Endpoint, Fault, FaultPlan};
use crate::record::{Counters, RecordedRequest};
use crate::state::SimState;

/// A cheap, cloneable handle to a running simulator's state.
#[derive(Debug, Clone)]
pub struct SimHandle {
    state: Arc<SimState>,
}

impl SimHandle {
    pub(crate) fn new(state: Arc<SimState>) -> Self {
        Self { state }
    }

    // --- failure injection ---

    /// Applies `fault` to every request to `endpoint` until cleared.
    pub fn inject(&self, endpoint: Endpoint, fault: Fault) {
        self.push_fault(
            endpoint,
            FaultPlan {
                fault,
                remaining: None,
            },
        );
    }

    /// Applies `fault` to the next `times` requests to `endpoint`. Faults queue up: a later
    /// injection takes effect when the earlier ones are used up.
    pub fn inject_times(&self, endpoint: Endpoint, fault: Fault, times: u32) {
        self.push_fault(
            endpoint,
            FaultPlan {
                fault,
                remaining: Some(times),
            },
        );
    }

    /// Removes all faults of `endpoint`.
    pub fn clear_faults(&self, endpoint: Endpoint) {
        if let Some(queue) = self.state.lock().faults.get_mut(&endpoint) {
            queue.clear();
        }
    }

    /// Removes every fault.
    pub fn clear_all_faults(&self) {
        self.state.lock().faults.clear();
    }

    fn push_fault(&self, endpoint: Endpoint, plan: FaultPlan) {
        self.state.lock().faults.entry(endpoint).or_default().push(plan);
    }

    // --- counters and recorded requests ---

    /// A snapshot of all counters.
    pub fn counters(&self) -> Counters {
        self.state.lock().recorder.counters.clone()
    }

    /// Unlock requests that reached the simulator for `device_id`.
    pub fn unlock_calls(&self, device_id: i64) -> u64 {
        self.state.lock().recorder.counters.unlock_calls(device_id)
    }

    /// The recorded requests (bounded by `max_recorded_requests`), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock().recorder.requests()
    }

    /// The recorded requests to one endpoint, oldest first.
    pub fn requests_to(&self, endpoint: Endpoint) -> Vec<RecordedRequest> {
        let mut all = self.requests();
        all.retain(|r| r.endpoint == endpoint);
        all
    }

    /// The `seq` the next request will get: requests with a smaller `seq` arrived before now.
    pub fn next_request_seq(&self) -> u64 {
        self.state.lock().recorder.next_seq()
    }

    /// Zeroes the counters and forgets recorded requests (sequence numbers keep counting).
    pub fn reset_counters(&self) {
        self.state.lock().recorder.reset();
    }

    // --- accounts, tokens and sessions ---

    /// Adds an account at runtime.
    pub fn add_account(&self, account: AccountSpec) -> Result<(), SimError> {
        self.state.lock().add_account(account)
    }

    /// Adds a device to an account.
    pub fn add_device(&self, email: &str, device: DeviceSpec) -> Result<(), SimError> {
        let mut inner = self.state.lock();
        let account = inner.require_account(email)?;
        if inner.find_device(device.id).is_some() {
            return Err(SimError::DuplicateDevice(device.id));
        }
        inner.accounts[account].spec.devices.push(device);
        Ok(())
    }

    /// Adds a location to an account.
    pub fn add_location(&self, email: &str, location: LocationSpec) -> Result<(), SimError> {
        let mut inner = self.state.lock();
        let account = inner.require_account(email)?;
        inner.accounts[account].spec.locations.push(location);
        Ok(())
    }

    /// Sets a device online or offline (offline intercoms refuse to unlock).
    pub fn set_device_online(&self, device_id: i64, online: bool) -> Result<(), SimError> {
        let mut inner = self.state.lock();
        let (account, device) = inner
            .find_device(device_id)
            .ok_or(SimError::UnknownDevice(device_id))?;
        inner.accounts[account].spec.devices[device].online = online;
        Ok(())
    }

    /// Issues a refresh token for an account without the password/2FA flow.
    pub fn issue_refresh_token(&self, email: &str) -> Result<String, SimError> {
        let mut inner = self.state.lock();
        let account = inner.require_account(email)?;
        Ok(inner
            .issue(&self.state.settings, account, Instant::now())
            .refresh_token)
    }

    /// Makes every access token issued so far answer 401 (like an expiry).
    pub fn expire_access_tokens(&self) {
        let now = Instant::now();
        for grant in self.state.lock().access_tokens.values_mut() {
            grant.expires_at = now;
        }
    }

    /// Revokes every refresh token of an account (like a password change or "Remove All").
    pub fn revoke_refresh_tokens(&self, email: &str) -> Result<(), SimError> {
        let mut inner = self.state.lock();
        let account = inner.require_account(email)?;
        inner.refresh_tokens.retain(|_, owner| *owner != account);
        Ok(())
    }

    /// Whether an account has a live session for `hardware_id`.
    pub fn has_session(&self, email: &str, hardware_id: &str) -> Result<bool, SimError> {
        let inner = self.state.lock();
        let account = inner.require_account(email)?;
        Ok(inner.has_session(&self.state.settings, account, hardware_id, Instant::now()))
    }

    /// Creates a session directly (not counted in `sessions_created`).
    pub fn create_session(&self, email: &str, hardware_id: &str) -> Result<(), SimError> {
        let mut inner = self.state.lock();
        let account = inner.require_account(email)?;
        inner.create_session(account, hardware_id, Instant::now());
        Ok(())
    }

    /// Forgets every session, so the next API call gets the "Session not found" 404.
    pub fn drop_sessions(&self) {
        self.state.lock().sessions.clear();
    }
}
