#![doc = include_str!("../README.md")]

mod config;
mod error;
mod faults;
mod handle;
mod record;
mod render;
mod routes;
mod secret;
mod server;
mod state;

pub use config::{
    AccountSpec, CodeRateLimit, DEFAULT_LOCATION_ID, DeviceGroup, DeviceSpec, HealthSpec, LocationSpec,
    SimConfig, TwoFactorSpec,
};
pub use error::SimError;
pub use faults::{Endpoint, Fault, FaultAction};
pub use handle::SimHandle;
pub use record::{Counters, RecordedRequest};
pub use secret::SimSecret;
pub use server::{RingSimulator, RunningSim};
