//! Rows, their conversion to domain values, and the query pieces — one file per port.
//!
//! Query pieces are plain functions (`#[diesel::dsl::auto_type]`) so the port macros
//! only glue them to a connection. Updates, deletes and anything diesel's `auto_type`
//! cannot name stay inline in the macros.

pub mod device_health;
pub mod guest_links;
pub mod guest_templates;
pub mod login_audit;
pub mod pending_unlock;
pub mod reservation;
pub mod ring_accounts;
pub mod ring_auth;
pub mod sessions;
pub mod settings;
pub mod unlock_audit;
pub mod users;

use latchkey_ports::StoreError;

/// A row that no longer satisfies the domain rules.
fn corrupt(table: &str, key: impl std::fmt::Display, what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{table} {key}: {what}"))
}

/// Offsets and limits arrive as `u64`; SQL takes `i64`. Anything past `i64::MAX` is
/// "everything" anyway.
pub fn clamp_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Row counts come back as `usize`.
pub fn count_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}
