//! The `guest_links` table: rows, conversions and query pieces for `GuestLinkStore`.
//!
//! A link's `disabled` flag is derived, not stored: it is set when the link was disabled,
//! its owner is disabled or its Ring account is (soft-)deleted. Every read therefore
//! joins the owner and the account ([`with_parents`]) and selects [`disabled_in_effect`]
//! next to the row; the reservation's update checks the same three conditions.

use diesel::dsl::{auto_type, exists};
use diesel::expression::functions::declare_sql_function;
use diesel::{
    BoolExpressionMethods, ExpressionMethods, Insertable, NullableExpressionMethods, QueryDsl, Queryable,
    Selectable,
};
use latchkey_domain::{GuestLink, GuestLinkId, IntercomId, RingAccountId, UserId};
use latchkey_ports::{NewGuestLink, StoreError};
use time::PrimitiveDateTime;

use super::corrupt;
use crate::schema::{guest_links, ring_accounts, users};
use crate::timestamps::{from_db, to_db};

#[declare_sql_function]
extern "SQL" {
    /// `COALESCE(a, b)`, so `disabled_at` is set once (both backends have it).
    fn coalesce(
        a: diesel::sql_types::Nullable<diesel::sql_types::Timestamp>,
        b: diesel::sql_types::Nullable<diesel::sql_types::Timestamp>,
    ) -> diesel::sql_types::Nullable<diesel::sql_types::Timestamp>;
}

/// A link as stored, without its sealed token (only the owner's list reads it) and
/// without `disabled_at` (readers get [`disabled_in_effect`] instead).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = guest_links, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct GuestLinkRow {
    pub id: i64,
    pub owner_id: i64,
    pub ring_account_id: i64,
    pub intercom_id: i64,
    pub label: Option<String>,
    pub starts_at: PrimitiveDateTime,
    pub expires_at: PrimitiveDateTime,
    pub max_uses: Option<i32>,
    pub uses: i32,
    pub created_at: PrimitiveDateTime,
}

impl GuestLinkRow {
    /// `disabled` is the link's effective state, as [`disabled_in_effect`] computes it.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] for a negative use count or use limit.
    pub fn into_domain(self, disabled: bool) -> Result<GuestLink, StoreError> {
        let id = self.id;
        let count = |column: &str, n: i32| {
            u32::try_from(n).map_err(|_| corrupt("guest_link", id, format!("{column} is {n}")))
        };
        Ok(GuestLink {
            id: GuestLinkId(id),
            owner_id: UserId(self.owner_id),
            ring_account_id: RingAccountId(self.ring_account_id),
            intercom_id: IntercomId(self.intercom_id),
            label: self.label,
            starts_at: from_db(self.starts_at),
            expires_at: from_db(self.expires_at),
            max_uses: self.max_uses.map(|n| count("max_uses", n)).transpose()?,
            uses: count("uses", self.uses)?,
            disabled,
            created_at: from_db(self.created_at),
        })
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = guest_links, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NewGuestLinkRow<'a> {
    pub owner_id: i64,
    pub ring_account_id: i64,
    pub intercom_id: i64,
    pub label: Option<&'a str>,
    pub token_hash: &'a str,
    pub sealed_token: &'a [u8],
    pub starts_at: PrimitiveDateTime,
    pub expires_at: PrimitiveDateTime,
    pub max_uses: Option<i32>,
    pub uses: i32,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

impl<'a> NewGuestLinkRow<'a> {
    pub fn new(link: &'a NewGuestLink) -> Self {
        let now = to_db(link.now);
        Self {
            owner_id: link.owner_id.0,
            ring_account_id: link.ring_account_id.0,
            intercom_id: link.intercom_id.0,
            label: link.label.as_deref(),
            token_hash: &link.token_hash,
            sealed_token: &link.sealed_token,
            starts_at: to_db(link.starts_at),
            expires_at: to_db(link.expires_at),
            // Past i32 is past the table's 1..=1000 check, which then refuses it.
            max_uses: link.max_uses.map(|n| i32::try_from(n).unwrap_or(i32::MAX)),
            uses: 0,
            created_at: now,
            updated_at: now,
        }
    }
}

/// Links with their owner and Ring account, for [`disabled_in_effect`]. Both joins are
/// on non-null foreign keys, so they never drop a link.
#[auto_type]
pub fn with_parents() -> _ {
    guest_links::table
        .inner_join(users::table)
        .inner_join(ring_accounts::table)
}

/// Whether a link of [`with_parents`] can no longer open anything.
#[auto_type]
pub fn disabled_in_effect() -> _ {
    guest_links::disabled_at
        .is_not_null()
        .or(users::disabled)
        .or(ring_accounts::deleted_at.is_not_null())
}

/// One link by id, if `owner_id` owns it: another user's link is as absent as none.
#[auto_type]
pub fn owned_with_parents(id: i64, owner_id: i64) -> _ {
    let links: with_parents = with_parents();
    links
        .filter(guest_links::id.eq(id))
        .filter(guest_links::owner_id.eq(owner_id))
}

/// The link a guest holds: the hot path, one indexed lookup plus two primary keys.
#[auto_type]
pub fn by_token_with_parents<'a>(token_hash: &'a str) -> _ {
    let links: with_parents = with_parents();
    links.filter(guest_links::token_hash.eq(token_hash))
}

/// The owner's links older than `before`, newest first, at most `limit` (ids are never
/// reused, so `id` orders creation; `guest_links_owner_idx` serves it).
#[auto_type]
pub fn of_owner_with_parents(owner_id: i64, before: i64, limit: i64) -> _ {
    let links: with_parents = with_parents();
    links
        .filter(guest_links::owner_id.eq(owner_id))
        .filter(guest_links::id.lt(before))
        .order_by(guest_links::id.desc())
        .limit(limit)
}

/// The update target of `disable_guest_link` / `set_guest_link_expiry`.
#[auto_type]
pub fn owned(id: i64, owner_id: i64) -> _ {
    guest_links::table
        .filter(guest_links::id.eq(id))
        .filter(guest_links::owner_id.eq(owner_id))
}

/// Whether the link's owner is enabled: a correlated subquery, so each backend looks
/// the owner up by primary key (SQLite would scan every user for an uncorrelated
/// `IN (SELECT …)`).
#[auto_type]
pub fn owner_enabled() -> _ {
    exists(
        users::table
            .filter(users::id.eq(guest_links::owner_id))
            .filter(users::disabled.eq(false))
            .select(users::id),
    )
}

/// Whether the link's Ring account is live; correlated like [`owner_enabled`].
#[auto_type]
pub fn account_live() -> _ {
    exists(
        ring_accounts::table
            .filter(ring_accounts::id.eq(guest_links::ring_account_id))
            .filter(ring_accounts::deleted_at.is_null())
            .select(ring_accounts::id),
    )
}

/// The link with this hash if one use can be taken at `now`: the whole condition of
/// `reserve_guest_use`, as the `WHERE` of its single `UPDATE`.
#[auto_type]
pub fn usable<'a>(token_hash: &'a str, now: PrimitiveDateTime) -> _ {
    let owner: owner_enabled = owner_enabled();
    let account: account_live = account_live();
    guest_links::table
        .filter(guest_links::token_hash.eq(token_hash))
        .filter(guest_links::disabled_at.is_null())
        .filter(guest_links::starts_at.le(now))
        .filter(guest_links::expires_at.gt(now))
        .filter(
            guest_links::max_uses
                .is_null()
                .or(guest_links::uses.nullable().lt(guest_links::max_uses)),
        )
        .filter(owner)
        .filter(account)
}

/// The update target of `release_guest_use`: never below zero.
#[auto_type]
pub fn releasable(id: i64) -> _ {
    guest_links::table
        .filter(guest_links::id.eq(id))
        .filter(guest_links::uses.gt(0_i32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn row() -> GuestLinkRow {
        GuestLinkRow {
            id: 7,
            owner_id: 2,
            ring_account_id: 3,
            intercom_id: 4,
            label: Some("Plumber".into()),
            starts_at: datetime!(2026-01-01 08:00),
            expires_at: datetime!(2026-01-01 18:00:00.000_001),
            max_uses: Some(5),
            uses: 2,
            created_at: datetime!(2025-12-31 08:00),
        }
    }

    #[test]
    fn a_valid_row_becomes_a_link() {
        let link = row().into_domain(true).unwrap();
        assert_eq!(
            (link.id, link.owner_id, link.ring_account_id, link.intercom_id),
            (GuestLinkId(7), UserId(2), RingAccountId(3), IntercomId(4))
        );
        assert_eq!((link.max_uses, link.uses, link.disabled), (Some(5), 2, true));
        assert_eq!(link.expires_at, datetime!(2026-01-01 18:00:00.000_001 UTC));
        assert_eq!(row().into_domain(false).unwrap().max_uses, Some(5));
    }

    #[test]
    fn negative_counts_are_corrupt() {
        let cases: [fn(&mut GuestLinkRow); 2] = [|r| r.uses = -1, |r| r.max_uses = Some(-5)];
        for break_row in cases {
            let mut r = row();
            break_row(&mut r);
            let err = r.into_domain(false).unwrap_err();
            assert!(
                matches!(err, StoreError::Corrupt(ref m) if m.starts_with("guest_link 7")),
                "{err:?}"
            );
        }
    }

    #[test]
    fn new_links_start_unused_at_one_instant() {
        let now = datetime!(2026-05-01 10:00:00.123_456_789 +02:00);
        let link = NewGuestLink {
            owner_id: UserId(1),
            ring_account_id: RingAccountId(2),
            intercom_id: IntercomId(3),
            label: None,
            token_hash: "a".repeat(64),
            sealed_token: vec![0, 255],
            starts_at: now,
            expires_at: now + time::Duration::hours(1),
            max_uses: Some(u32::MAX),
            now,
        };
        let row = NewGuestLinkRow::new(&link);
        assert_eq!((row.uses, row.max_uses), (0, Some(i32::MAX)));
        assert_eq!(row.created_at, datetime!(2026-05-01 08:00:00.123_456));
        assert_eq!((row.created_at, row.starts_at), (row.updated_at, row.updated_at));
    }
}
