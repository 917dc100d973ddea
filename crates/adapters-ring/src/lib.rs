#![doc = include_str!("../README.md")]

mod account;
mod client;
mod config;
mod error;
mod gateway;
mod ids;
mod lenient;
mod model;
mod secret;
mod sink;
mod two_factor;

pub use account::{RingAccountSession, SessionPolicy, UnlockError};
pub use client::{ApiAuth, RingClient};
pub use config::RingClientConfig;
pub use error::RingError;
pub use gateway::RingGateway;
pub use ids::{DeviceId, HardwareId, InvalidHardwareId};
pub use model::{AuthTokens, DeviceHealth, Intercom, IntercomKind, RingDevices, RingLocation, UnlockAck};
pub use secret::RingSecret;
pub use sink::{PersistError, RefreshTokenSink};
pub use two_factor::{TwoFactorChallenge, TwoFactorMethod};
