//! A simulator with known accounts, a gateway with short timeouts, and a recording vault.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use latchkey_domain::{AccountLabel, RingAccount, RingAccountId, RingLinkStatus, UserId};
use latchkey_ports::{GatewayError, RingTokenVault, Secret};
use latchkey_ring::{RingClientConfig, RingGateway};
use latchkey_ring_sim::{
    AccountSpec, DeviceSpec, RingSimulator, RunningSim, SimConfig, SimHandle, TwoFactorSpec,
};
use time::OffsetDateTime;

pub const EMAIL: &str = "resident@example.com";
pub const PASSWORD: &str = "correct horse";
pub const SMS_EMAIL: &str = "sms@example.com";
pub const CODE: &str = "424242";
pub const DOOR: i64 = 185_036_587;
pub const GATE: i64 = DOOR + 1;
pub const HID: &str = "0a1b2c3d-0000-5000-8000-000000000000";

pub fn start() -> RunningSim {
    let config = SimConfig::default()
        .with_account(
            AccountSpec::new(EMAIL, PASSWORD)
                .with_device(DeviceSpec::intercom(DOOR, "Front door"))
                .with_device(
                    DeviceSpec::intercom(GATE, "Gate")
                        .with_kind("intercom_handset_video")
                        .with_online(false),
                ),
        )
        .with_account(
            AccountSpec::new(SMS_EMAIL, PASSWORD).with_two_factor(TwoFactorSpec::sms(CODE, "+15555551234")),
        );
    RingSimulator::start(config).unwrap()
}

/// Short timeouts keep the hang tests fast.
pub fn gateway(sim: &RunningSim, vault: &Arc<MemoryVault>) -> RingGateway {
    let config = RingClientConfig::new(sim.base_url(), sim.base_url())
        .with_request_timeout(Duration::from_secs(1))
        .with_unlock_timeout(Duration::from_secs(1))
        .with_device_model("latchkey-test");
    RingGateway::new(config, Arc::clone(vault) as Arc<dyn RingTokenVault>).unwrap()
}

pub fn account() -> RingAccount {
    RingAccount {
        id: RingAccountId(7),
        user_id: UserId(1),
        label: AccountLabel::parse("Home").unwrap(),
        is_default: true,
        hardware_id: HID.to_owned(),
        status: RingLinkStatus::Linked,
        created_at: OffsetDateTime::UNIX_EPOCH,
        updated_at: OffsetDateTime::UNIX_EPOCH,
    }
}

/// A vault holding `EMAIL`'s freshly issued refresh token for [`account`], plus that token.
pub fn linked_vault(sim: &RunningSim) -> (Arc<MemoryVault>, String) {
    let vault = MemoryVault::new(sim);
    let token = sim.handle().issue_refresh_token(EMAIL).unwrap();
    vault.put(account().id, &token);
    (vault, token)
}

/// The application's vault, in memory. Records each stored token with the simulator's next
/// request number at that moment (so tests can tell what reached Ring after the store).
pub struct MemoryVault {
    sim: SimHandle,
    tokens: Mutex<HashMap<RingAccountId, String>>,
    stored: Mutex<Vec<(String, u64)>>,
    relink_marks: Mutex<Vec<RingAccountId>>,
    loads: AtomicUsize,
    fail_stores: AtomicBool,
}

impl MemoryVault {
    pub fn new(sim: &RunningSim) -> Arc<Self> {
        Arc::new(Self {
            sim: sim.handle().clone(),
            tokens: Mutex::default(),
            stored: Mutex::default(),
            relink_marks: Mutex::default(),
            loads: AtomicUsize::new(0),
            fail_stores: AtomicBool::new(false),
        })
    }

    /// Puts a token in place directly (what the application does when linking).
    pub fn put(&self, account: RingAccountId, token: &str) {
        self.tokens.lock().unwrap().insert(account, token.to_owned());
    }

    pub fn token(&self, account: RingAccountId) -> Option<String> {
        self.tokens.lock().unwrap().get(&account).cloned()
    }

    pub fn stored(&self) -> Vec<(String, u64)> {
        self.stored.lock().unwrap().clone()
    }

    pub fn relink_marks(&self) -> Vec<RingAccountId> {
        self.relink_marks.lock().unwrap().clone()
    }

    pub fn loads(&self) -> usize {
        self.loads.load(Ordering::SeqCst)
    }

    pub fn fail_stores(&self, fail: bool) {
        self.fail_stores.store(fail, Ordering::SeqCst);
    }
}

#[async_trait]
impl RingTokenVault for MemoryVault {
    async fn load_token(&self, account: &RingAccount) -> Result<Option<Secret>, GatewayError> {
        self.loads.fetch_add(1, Ordering::SeqCst);
        Ok(self.token(account.id).map(Secret::new))
    }

    async fn store_token(&self, account: &RingAccount, token: &Secret) -> Result<(), GatewayError> {
        if self.fail_stores.load(Ordering::SeqCst) {
            return Err(GatewayError::Storage);
        }
        let seq = self.sim.next_request_seq();
        self.stored.lock().unwrap().push((token.expose().to_owned(), seq));
        self.put(account.id, token.expose());
        Ok(())
    }

    async fn mark_needs_relink(&self, account: &RingAccount, _refused: &Secret) {
        self.relink_marks.lock().unwrap().push(account.id);
    }
}
