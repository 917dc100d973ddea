//! The fake Ring cloud every test server talks to.

use latchkey_ring_sim::{AccountSpec, DeviceSpec, RingSimulator, RunningSim, SimConfig, TwoFactorSpec};

pub const RING_EMAIL: &str = "resident@example.com";
pub const RING_PASSWORD: &str = "ring-password-1";
pub const RING_CODE: &str = "123456";
pub const FRONT_DOOR: i64 = 1001;
pub const SIDE_DOOR: i64 = 1002;
/// Another Ring account (no 2FA) with its own intercom.
pub const NEIGHBOUR_EMAIL: &str = "neighbour@example.com";
pub const NEIGHBOUR_DOOR: i64 = 2001;

pub fn start_simulator() -> RunningSim {
    let config = SimConfig::default()
        .with_account(
            AccountSpec::new(RING_EMAIL, RING_PASSWORD)
                .with_two_factor(TwoFactorSpec::sms(RING_CODE, "+15555550123"))
                .with_device(DeviceSpec::intercom(FRONT_DOOR, "Front door"))
                .with_device(DeviceSpec::intercom(SIDE_DOOR, "Side door")),
        )
        .with_account(
            AccountSpec::new(NEIGHBOUR_EMAIL, RING_PASSWORD)
                .with_device(DeviceSpec::intercom(NEIGHBOUR_DOOR, "Neighbour")),
        );
    match RingSimulator::start(config) {
        Ok(sim) => sim,
        Err(e) => panic!("cannot start the Ring simulator: {e}"),
    }
}
