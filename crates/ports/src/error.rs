//! The one error every store method returns.

/// What went wrong in a store, in terms a use case can act on. Adapters translate
/// driver errors into these; no driver type crosses this line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The row the call needs does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule of the data was violated; carries the rule's name.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached or did not answer in time. Callers answer 503.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// A stored row no longer satisfies the domain rules (manual edit, bad migration).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// Anything else the driver reported.
    #[error("store error: {0}")]
    Other(String),
}
