//! Identifiers: the client's stable hardware id and Ring's numeric device ids.

use std::fmt;

/// The id this client presents to Ring (`hardware_id` header, token requests, session body).
///
/// It must stay the same across restarts: each new value shows up as a new "Authorized Client
/// Device" in Ring Control Center (ring-protocol.md §3). It is generated once by the caller
/// and stored with the Ring account.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct HardwareId(String);

/// A hardware id that cannot be sent as an HTTP header value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("hardware id must be 1-128 visible ASCII characters")]
pub struct InvalidHardwareId;

impl HardwareId {
    /// Validates that the id is 1-128 visible ASCII characters (it travels in a header).
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidHardwareId> {
        let value = value.into();
        let valid = (1..=128).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_graphic());
        if valid {
            Ok(Self(value))
        } else {
            Err(InvalidHardwareId)
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for HardwareId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HardwareId({})", self.0)
    }
}

impl fmt::Display for HardwareId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Ring's numeric device id (9 digits in practice; kept as `i64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceId(i64);

impl DeviceId {
    /// Wraps a Ring device id.
    pub fn new(id: i64) -> Self {
        Self(id)
    }

    /// The numeric id.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hardware_id_must_be_header_safe() {
        assert!(HardwareId::new("0a1b2c3d-0000-5000-8000-000000000000").is_ok());
        assert_eq!(HardwareId::new(""), Err(InvalidHardwareId));
        assert_eq!(HardwareId::new("has space"), Err(InvalidHardwareId));
        assert_eq!(HardwareId::new("line\nbreak"), Err(InvalidHardwareId));
        assert_eq!(HardwareId::new("x".repeat(129)), Err(InvalidHardwareId));
    }
}
