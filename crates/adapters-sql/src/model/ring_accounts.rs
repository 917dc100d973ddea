//! The `ring_accounts` table: rows, conversions and query pieces for `RingAccountStore`.
//!
//! Accounts are soft-deleted (`deleted_at` set): every piece here that a port method
//! reads or writes through filters on `deleted_at IS NULL`, so a deleted account is
//! "not found" everywhere.

use diesel::dsl::auto_type;
use diesel::{AsChangeset, ExpressionMethods, Insertable, QueryDsl, Queryable, Selectable};
use latchkey_domain::{AccountLabel, RingAccount, RingAccountId, RingLinkStatus, UserId};
use latchkey_ports::{NewRingAccount, StoreError};
use time::{OffsetDateTime, PrimitiveDateTime};

use super::corrupt;
use crate::schema::ring_accounts;
use crate::timestamps::{from_db, to_db};

/// An account as stored, without its token (only `ring_token` reads that) and without
/// `deleted_at` (reads only ever see live rows).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ring_accounts, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct RingAccountRow {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    pub is_default: bool,
    pub hardware_id: String,
    pub status: String,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

impl RingAccountRow {
    /// # Errors
    /// [`StoreError::Corrupt`] for a label or status the domain refuses.
    pub fn into_domain(self) -> Result<RingAccount, StoreError> {
        let id = self.id;
        let bad = |what: String| corrupt("ring_account", id, what);
        let label = AccountLabel::parse(&self.label).map_err(|e| bad(format!("label: {e}")))?;
        let status = RingLinkStatus::parse(&self.status)
            .ok_or_else(|| bad(format!("unknown status {:?}", self.status)))?;
        Ok(RingAccount {
            id: RingAccountId(id),
            user_id: UserId(self.user_id),
            label,
            is_default: self.is_default,
            hardware_id: self.hardware_id,
            status,
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        })
    }
}

/// A new live account: unlinked, no token. Whether it is the default is decided by the
/// caller inside the transaction that inserts it.
#[derive(Debug, Insertable)]
#[diesel(table_name = ring_accounts, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NewRingAccountRow<'a> {
    pub user_id: i64,
    pub label: &'a str,
    pub is_default: bool,
    pub hardware_id: &'a str,
    pub status: &'static str,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

impl<'a> NewRingAccountRow<'a> {
    pub fn new(account: &'a NewRingAccount, is_default: bool) -> Self {
        let now = to_db(account.now);
        Self {
            user_id: account.user_id.0,
            label: account.label.as_str(),
            is_default,
            hardware_id: &account.hardware_id,
            status: RingLinkStatus::Unlinked.as_str(),
            created_at: now,
            updated_at: now,
        }
    }
}

/// What `update_ring_account` sets on the target. `is_default` is only ever set to
/// `true` here (`make_default = false` leaves the flag alone); `updated_at` is always
/// set, so the changeset is never empty.
#[derive(Debug, Clone, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = ring_accounts, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct RingAccountChangeset {
    pub label: Option<String>,
    pub is_default: Option<bool>,
    pub updated_at: PrimitiveDateTime,
}

impl RingAccountChangeset {
    pub fn new(label: Option<&AccountLabel>, make_default: bool, now: OffsetDateTime) -> Self {
        Self {
            label: label.map(|l| l.as_str().to_owned()),
            is_default: make_default.then_some(true),
            updated_at: to_db(now),
        }
    }
}

/// The soft delete: the token is erased and the flag dropped with it (the table's
/// `ring_accounts_deleted_is_inert` check insists on both).
#[derive(Debug, Clone, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = ring_accounts, treat_none_as_null = true)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct Tombstone {
    pub deleted_at: Option<PrimitiveDateTime>,
    pub sealed_token: Option<Vec<u8>>,
    pub is_default: bool,
    pub updated_at: PrimitiveDateTime,
}

impl Tombstone {
    pub fn new(now: OffsetDateTime) -> Self {
        let now = to_db(now);
        Self {
            deleted_at: Some(now),
            sealed_token: None,
            is_default: false,
            updated_at: now,
        }
    }
}

/// Every live account of every user.
#[auto_type]
pub fn all_live() -> _ {
    ring_accounts::table.filter(ring_accounts::deleted_at.is_null())
}

/// A live account by id, whoever owns it (token and status writes).
#[auto_type]
pub fn live(id: i64) -> _ {
    ring_accounts::table
        .filter(ring_accounts::id.eq(id))
        .filter(ring_accounts::deleted_at.is_null())
}

/// A live account of one user: another user's account is as absent as a deleted one.
#[auto_type]
pub fn live_of_user(id: i64, user_id: i64) -> _ {
    // auto_type needs the alias named: by convention it would guess `live<i64>`.
    let account: live = live(id);
    account.filter(ring_accounts::user_id.eq(user_id))
}

/// Every live account of one user.
#[auto_type]
pub fn live_accounts_of(user_id: i64) -> _ {
    ring_accounts::table
        .filter(ring_accounts::user_id.eq(user_id))
        .filter(ring_accounts::deleted_at.is_null())
}

/// The user's live defaults other than `keep`: what making `keep` the default clears.
#[auto_type]
pub fn other_defaults(user_id: i64, keep: i64) -> _ {
    let accounts: live_accounts_of = live_accounts_of(user_id);
    accounts
        .filter(ring_accounts::is_default.eq(true))
        .filter(ring_accounts::id.ne(keep))
}

/// The id of the user's oldest live account (`id` orders equal creation times): the
/// default's successor when the default is deleted.
#[auto_type]
pub fn oldest_live_of(user_id: i64) -> _ {
    let accounts: live_accounts_of = live_accounts_of(user_id);
    accounts
        .order_by((ring_accounts::created_at.asc(), ring_accounts::id.asc()))
        .select(ring_accounts::id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn row() -> RingAccountRow {
        RingAccountRow {
            id: 4,
            user_id: 2,
            label: "Home".into(),
            is_default: true,
            hardware_id: "hw-1".into(),
            status: "needs_relink".into(),
            created_at: datetime!(2026-01-01 08:00),
            updated_at: datetime!(2026-01-02 08:00:00.000_001),
        }
    }

    #[test]
    fn a_valid_row_becomes_an_account() {
        let account = row().into_domain().unwrap();
        assert_eq!((account.id, account.user_id), (RingAccountId(4), UserId(2)));
        assert_eq!(account.label.as_str(), "Home");
        assert_eq!(account.status, RingLinkStatus::NeedsRelink);
        assert!(account.is_default);
        assert_eq!(account.updated_at, datetime!(2026-01-02 08:00:00.000_001 UTC));
    }

    #[test]
    fn rows_the_domain_refuses_are_corrupt() {
        let cases: [fn(&mut RingAccountRow); 3] = [
            |r| r.label = "   ".into(),
            |r| r.label = "a\u{202E}b".into(),
            |r| r.status = "LINKED".into(),
        ];
        for break_row in cases {
            let mut r = row();
            break_row(&mut r);
            let err = r.into_domain().unwrap_err();
            assert!(
                matches!(err, StoreError::Corrupt(ref m) if m.starts_with("ring_account 4")),
                "{err:?}"
            );
        }
    }

    #[test]
    fn new_accounts_start_unlinked_at_one_instant() {
        let account = NewRingAccount {
            user_id: UserId(3),
            label: AccountLabel::parse(" Office ").unwrap(),
            hardware_id: "hw-9".into(),
            now: datetime!(2026-05-01 10:00:00.123_456_789 +02:00),
        };
        let row = NewRingAccountRow::new(&account, false);
        assert_eq!((row.user_id, row.label, row.hardware_id), (3, "Office", "hw-9"));
        assert_eq!((row.status, row.is_default), ("unlinked", false));
        assert_eq!(row.created_at, datetime!(2026-05-01 08:00:00.123_456));
        assert_eq!(row.created_at, row.updated_at);
    }

    #[test]
    fn changesets_never_clear_the_default_flag() {
        let now = datetime!(2026-05-01 10:00 UTC);
        let keep = RingAccountChangeset::new(None, false, now);
        assert_eq!((keep.label, keep.is_default), (None, None));
        let label = AccountLabel::parse("Flat").unwrap();
        let both = RingAccountChangeset::new(Some(&label), true, now);
        assert_eq!(
            (both.label.as_deref(), both.is_default),
            (Some("Flat"), Some(true))
        );
        assert_eq!(both.updated_at, datetime!(2026-05-01 10:00));
    }

    #[test]
    fn tombstones_erase_the_token_and_the_flag() {
        let t = Tombstone::new(datetime!(2026-05-01 10:00 UTC));
        assert_eq!(t.deleted_at, Some(datetime!(2026-05-01 10:00)));
        assert_eq!((t.sealed_token, t.is_default), (None, false));
    }
}
