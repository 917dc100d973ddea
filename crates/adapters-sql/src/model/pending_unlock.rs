//! The audit row a guest unlock writes ahead of the door, and its settling.
//!
//! `reserve_guest_use` commits the use and this row together, outcome `unknown` and no
//! error code, so one durable commit comes before Ring is asked; `settle_unlock` then
//! records what Ring answered, only on a row still in that state. Each store glues the
//! two writes its own way (`write_ahead` in each store crate): one statement on
//! PostgreSQL (a data-modifying `WITH`), one transaction on SQLite (which has none).

use diesel::dsl::auto_type;
use diesel::{ExpressionMethods, QueryDsl};
use latchkey_domain::UnlockOutcome;
use latchkey_ports::GuestAttempt;

use super::guest_links::GuestLinkRow;
use super::reservation::AccountColumns;
use super::unlock_audit::NewUnlockEventRow;
use crate::schema::unlock_events;
use crate::timestamps::to_db;

/// The outcome of a row not settled yet.
pub const PENDING: UnlockOutcome = UnlockOutcome::Unknown;

/// What a store's `write_ahead` returns when it took a use: the link, its account's
/// columns ([`reserved_account`](super::reservation::reserved_account)) and the id of
/// the audit row written with it.
pub type WrittenAhead = (GuestLinkRow, AccountColumns, i64);

impl<'a> NewUnlockEventRow<'a> {
    /// The row written with a reservation of `link` (SQLite's insert; PostgreSQL's
    /// `WITH` inserts the same columns).
    pub fn pending(link: &GuestLinkRow, attempt: &'a GuestAttempt) -> Self {
        Self {
            occurred_at: to_db(attempt.at),
            actor_kind: "guest",
            actor_user_id: None,
            guest_link_id: Some(link.id),
            owner_id: Some(link.owner_id),
            ring_account_id: Some(link.ring_account_id),
            intercom_id: Some(link.intercom_id),
            outcome: PENDING.as_str(),
            error_code: None,
            ip: attempt.ip.as_deref(),
            user_agent: attempt.user_agent.as_deref(),
        }
    }
}

/// The update target of `settle_unlock`: the row, only while it is unsettled.
#[auto_type]
pub fn unsettled(id: i64) -> _ {
    let pending: &'static str = PENDING.as_str();
    unlock_events::table
        .filter(unlock_events::id.eq(id))
        .filter(unlock_events::outcome.eq(pending))
        .filter(unlock_events::error_code.is_null())
}
