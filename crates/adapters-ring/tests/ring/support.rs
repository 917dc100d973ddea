//! A simulator with known accounts, a client with short timeouts, and a recording sink.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use latchkey_ring::{
    DeviceId, HardwareId, PersistError, RefreshTokenSink, RingAccountSession, RingClient, RingClientConfig,
    RingSecret,
};
use latchkey_ring_sim::{
    AccountSpec, DeviceSpec, RingSimulator, RunningSim, SimConfig, SimHandle, TwoFactorSpec,
};

pub const EMAIL: &str = "resident@example.com";
pub const PASSWORD: &str = "correct horse";
pub const SMS_EMAIL: &str = "sms@example.com";
pub const EMAIL_2FA_EMAIL: &str = "mail@example.com";
pub const TOTP_EMAIL: &str = "totp@example.com";
pub const CODE: &str = "424242";
pub const DOOR: i64 = 185_036_587;
pub const HID: &str = "0a1b2c3d-0000-5000-8000-000000000000";

pub fn door() -> DeviceId {
    DeviceId::new(DOOR)
}

pub fn hid() -> HardwareId {
    HardwareId::new(HID).unwrap()
}

pub fn sim_config() -> SimConfig {
    SimConfig::default()
        .with_account(
            AccountSpec::new(EMAIL, PASSWORD)
                .with_device(DeviceSpec::intercom(DOOR, "Front door"))
                .with_device(DeviceSpec::intercom(DOOR + 1, "Gate").with_kind("intercom_handset_video")),
        )
        .with_account(
            AccountSpec::new(SMS_EMAIL, PASSWORD).with_two_factor(TwoFactorSpec::sms(CODE, "+15555551234")),
        )
        .with_account(AccountSpec::new(EMAIL_2FA_EMAIL, PASSWORD).with_two_factor(TwoFactorSpec::email(CODE)))
        .with_account(AccountSpec::new(TOTP_EMAIL, PASSWORD).with_two_factor(TwoFactorSpec::totp(CODE)))
}

pub fn start() -> RunningSim {
    start_with(sim_config())
}

pub fn start_with(config: SimConfig) -> RunningSim {
    RingSimulator::start(config).unwrap()
}

/// Short timeouts keep the hang tests fast.
pub fn client(sim: &RunningSim) -> RingClient {
    let config = RingClientConfig::new(sim.base_url(), format!("{}/", sim.base_url()))
        .with_request_timeout(Duration::from_secs(1))
        .with_unlock_timeout(Duration::from_secs(1))
        .with_device_model("latchkey-test");
    RingClient::new(config).unwrap()
}

/// Records every persisted token with the simulator's next request number at that moment,
/// and can be told to fail.
pub struct RecordingSink {
    sim: SimHandle,
    pub saved: Mutex<Vec<(String, u64)>>,
    pub fail: AtomicBool,
}

impl RecordingSink {
    pub fn new(sim: &RunningSim) -> Arc<Self> {
        Arc::new(Self {
            sim: sim.handle().clone(),
            saved: Mutex::new(Vec::new()),
            fail: AtomicBool::new(false),
        })
    }

    pub fn saved(&self) -> Vec<(String, u64)> {
        self.saved.lock().unwrap().clone()
    }

    pub fn set_failing(&self, fail: bool) {
        self.fail.store(fail, Ordering::SeqCst);
    }
}

#[async_trait]
impl RefreshTokenSink for RecordingSink {
    async fn persist(&self, new_refresh_token: &RingSecret) -> Result<(), PersistError> {
        if self.fail.load(Ordering::SeqCst) {
            return Err(PersistError::new("database unavailable"));
        }
        let seq = self.sim.next_request_seq();
        self.saved
            .lock()
            .unwrap()
            .push((new_refresh_token.expose().to_owned(), seq));
        Ok(())
    }
}

/// An account session for `EMAIL`, holding a refresh token issued by the simulator.
pub fn account(sim: &RunningSim, sink: Arc<RecordingSink>) -> RingAccountSession {
    let refresh = sim.handle().issue_refresh_token(EMAIL).unwrap();
    RingAccountSession::new(client(sim), hid(), RingSecret::from(refresh), sink)
}

/// A client session already exists for `HID` (so tests can focus on other behaviour).
pub fn with_ring_session(sim: &RunningSim) {
    sim.handle().create_session(EMAIL, HID).unwrap();
}
