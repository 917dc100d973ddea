//! Accounts and their second factor.

use serde::Deserialize;

use super::{DeviceSpec, LocationSpec};
use crate::secret::SimSecret;

/// One Ring account.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// Login email (matched case-insensitively).
    pub email: String,
    /// Login password.
    pub password: SimSecret,
    /// Second factor required at login.
    #[serde(default)]
    pub two_factor: TwoFactorSpec,
    /// Shown in the session profile.
    #[serde(default)]
    pub first_name: String,
    /// The account's locations. When empty, one "Home" location with [`DEFAULT_LOCATION_ID`]
    /// is created.
    #[serde(default)]
    pub locations: Vec<LocationSpec>,
    /// The account's devices.
    #[serde(default)]
    pub devices: Vec<DeviceSpec>,
}

impl AccountSpec {
    /// An account without 2FA, locations or devices.
    pub fn new(email: impl Into<String>, password: impl Into<SimSecret>) -> Self {
        Self {
            email: email.into(),
            password: password.into(),
            two_factor: TwoFactorSpec::None,
            first_name: String::new(),
            locations: Vec::new(),
            devices: Vec::new(),
        }
    }

    /// Requires a second factor at login.
    pub fn with_two_factor(mut self, two_factor: TwoFactorSpec) -> Self {
        self.two_factor = two_factor;
        self
    }

    /// Adds a location.
    pub fn with_location(mut self, location: LocationSpec) -> Self {
        self.locations.push(location);
        self
    }

    /// Adds a device.
    pub fn with_device(mut self, device: DeviceSpec) -> Self {
        self.devices.push(device);
        self
    }
}

/// The second factor an account uses. The expected code is fixed (real Ring sends a new one).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase", deny_unknown_fields)]
pub enum TwoFactorSpec {
    /// No second factor: the password grant succeeds directly.
    #[default]
    None,
    /// A code "sent" by SMS to `phone`.
    Sms {
        /// The code the simulator accepts.
        code: SimSecret,
        /// Full phone number; answers show it masked like Ring does.
        phone: String,
    },
    /// A code "sent" by email.
    Email {
        /// The code the simulator accepts.
        code: SimSecret,
    },
    /// A code from an authenticator app (nothing is sent, so no send limit applies).
    Totp {
        /// The code the simulator accepts.
        code: SimSecret,
    },
}

impl TwoFactorSpec {
    /// SMS 2FA.
    pub fn sms(code: impl Into<SimSecret>, phone: impl Into<String>) -> Self {
        Self::Sms {
            code: code.into(),
            phone: phone.into(),
        }
    }

    /// Email 2FA.
    pub fn email(code: impl Into<SimSecret>) -> Self {
        Self::Email { code: code.into() }
    }

    /// Authenticator-app 2FA.
    pub fn totp(code: impl Into<SimSecret>) -> Self {
        Self::Totp { code: code.into() }
    }
}
