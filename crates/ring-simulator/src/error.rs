//! Errors of the simulator's library API and binary.

/// Why a simulator operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// Binding or serving the socket failed.
    #[error("simulator socket error: {0}")]
    Io(#[from] std::io::Error),
    /// `RingSimulator::start` was called outside a tokio runtime.
    #[error("the simulator must be started from inside a tokio runtime")]
    NoRuntime,
    /// No account with this email exists.
    #[error("no simulated account with email {0}")]
    UnknownAccount(String),
    /// An account with this email already exists.
    #[error("a simulated account with email {0} already exists")]
    DuplicateAccount(String),
    /// A device id is already used by another simulated device.
    #[error("a simulated device with id {0} already exists")]
    DuplicateDevice(i64),
    /// No device with this id exists.
    #[error("no simulated device with id {0}")]
    UnknownDevice(i64),
    /// The configuration file could not be read or parsed.
    #[error("invalid simulator configuration: {0}")]
    Config(String),
}
