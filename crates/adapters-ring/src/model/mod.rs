//! What Ring's answers are turned into. Parsing is tolerant (see `crate::lenient`): unknown
//! fields are ignored, missing ones become `None`, numbers may arrive as strings.

mod devices;
mod health;
mod locations;
mod tokens;
mod unlock;

pub use devices::{Intercom, IntercomKind, RingDevices};
pub use health::DeviceHealth;
pub use locations::RingLocation;
pub(crate) use locations::parse_locations;
pub use tokens::AuthTokens;
pub(crate) use tokens::{DEFAULT_EXPIRES_IN, TokenBody};
pub use unlock::UnlockAck;
