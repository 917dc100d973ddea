//! What `reserve_guest_use` returns: the reserved link and its Ring account, from the
//! one `UPDATE … RETURNING` that takes the use.
//!
//! The guest unlock needs the account next. Reading it with a second query was a second
//! round trip on the door's critical path (PostgreSQL unlock overhead, `cargo xtask
//! bench`). A `RETURNING` clause may read another table only through subqueries (SQLite
//! allows no join there at all), so each account column is one correlated scalar
//! subquery on the account's primary key. The update's `WHERE` requires the account to
//! be live, and the whole statement reads one snapshot, so every subquery finds it.

use diesel::dsl::{Select, SingleValue, auto_type};
use diesel::{ExpressionMethods, QueryDsl};
use latchkey_domain::{GuestLink, RingAccount};
use latchkey_ports::StoreError;
use time::PrimitiveDateTime;

use super::corrupt;
use super::guest_links::GuestLinkRow;
use super::ring_accounts::RingAccountRow;
use crate::schema::{guest_links, ring_accounts};

/// The reserved link's Ring account, correlated to the row being updated.
#[auto_type]
fn account_of_link() -> _ {
    ring_accounts::table.filter(ring_accounts::id.eq(guest_links::ring_account_id))
}

/// One column of the reserved link's Ring account, as a scalar subquery.
macro_rules! account_column {
    ($column:ident) => {
        account_of_link().select(ring_accounts::$column).single_value()
    };
}

/// One account column of the reserved link, as [`reserved_account`] selects it.
type AccountColumn<C> = SingleValue<Select<account_of_link, C>>;

/// The selection of [`reserved_account`].
pub type ReservedAccount = (
    AccountColumn<ring_accounts::user_id>,
    AccountColumn<ring_accounts::label>,
    AccountColumn<ring_accounts::is_default>,
    AccountColumn<ring_accounts::hardware_id>,
    AccountColumn<ring_accounts::status>,
    AccountColumn<ring_accounts::created_at>,
    AccountColumn<ring_accounts::updated_at>,
);

/// The account columns the reservation returns after the link's own, in
/// [`AccountColumns`] order.
pub fn reserved_account() -> ReservedAccount {
    (
        account_column!(user_id),
        account_column!(label),
        account_column!(is_default),
        account_column!(hardware_id),
        account_column!(status),
        account_column!(created_at),
        account_column!(updated_at),
    )
}

/// The values of [`reserved_account`]: nullable, as every scalar subquery is.
pub type AccountColumns = (
    Option<i64>,
    Option<String>,
    Option<bool>,
    Option<String>,
    Option<String>,
    Option<PrimitiveDateTime>,
    Option<PrimitiveDateTime>,
);

/// The link (not disabled: the update's own condition) and its account.
///
/// # Errors
/// [`StoreError::Corrupt`] for a row the domain refuses, or an account that was not
/// there (which the statement's own condition rules out).
pub fn into_reserved(
    row: GuestLinkRow,
    account: AccountColumns,
) -> Result<(GuestLink, RingAccount), StoreError> {
    let (user_id, label, is_default, hardware_id, status, created_at, updated_at) = account;
    let account_id = row.ring_account_id;
    let missing = || corrupt("guest_link", row.id, "reserved without its ring account");
    let account = RingAccountRow {
        id: account_id,
        user_id: user_id.ok_or_else(missing)?,
        label: label.ok_or_else(missing)?,
        is_default: is_default.ok_or_else(missing)?,
        hardware_id: hardware_id.ok_or_else(missing)?,
        status: status.ok_or_else(missing)?,
        created_at: created_at.ok_or_else(missing)?,
        updated_at: updated_at.ok_or_else(missing)?,
    }
    .into_domain()?;
    Ok((row.into_domain(false)?, account))
}

/// The statement that takes one use: `UPDATE guest_links SET uses = uses + 1 … WHERE`
/// [`usable`](super::guest_links::usable) `RETURNING` the link and
/// [`reserved_account`]. One definition for both stores' `write_ahead`, which wrap it
/// differently (PostgreSQL in a `WITH`, SQLite in a transaction); a macro because
/// diesel's `auto_type` cannot name an `UPDATE … RETURNING`. Not part of the public API.
#[doc(hidden)]
#[macro_export]
macro_rules! __take_one_use {
    ($token_hash:expr, $now:expr) => {{
        use $crate::__private::diesel::{ExpressionMethods as _, SelectableHelper as _};
        use $crate::schema::guest_links;
        let now = $now;
        $crate::__private::diesel::update($crate::model::guest_links::usable($token_hash, now))
            .set((
                guest_links::uses.eq(guest_links::uses + 1),
                guest_links::updated_at.eq(now),
            ))
            .returning((
                $crate::model::guest_links::GuestLinkRow::as_returning(),
                $crate::model::reservation::reserved_account(),
            ))
    }};
}
