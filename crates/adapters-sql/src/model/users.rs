//! The `users` table: rows, conversions and query pieces for `UserStore`.

use diesel::dsl::auto_type;
use diesel::{AsChangeset, ExpressionMethods, Insertable, QueryDsl, Queryable, Selectable};
use latchkey_domain::{LockState, PersonName, Role, Structure, User, UserId, Username};
use latchkey_ports::{NewUser, StoreError, UserUpdate};
use time::{OffsetDateTime, PrimitiveDateTime};

use super::corrupt;
use crate::schema::users;
use crate::timestamps::{from_db, to_db};

/// A user as stored, without the password hash (most reads never need it).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub structure: Option<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub failed_logins: i32,
    pub locked_until: Option<PrimitiveDateTime>,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

impl UserRow {
    /// Rebuilds the domain user through the domain's own constructors, so a row edited
    /// by hand into something the domain refuses surfaces as [`StoreError::Corrupt`].
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] naming the column that fails its rule.
    pub fn into_domain(self) -> Result<User, StoreError> {
        let id = self.id;
        let bad = |what: String| corrupt("user", id, what);
        let username = Username::parse(&self.username).map_err(|e| bad(format!("username: {e}")))?;
        let role = Role::parse(&self.role).ok_or_else(|| bad(format!("unknown role {:?}", self.role)))?;
        let first_name =
            PersonName::parse("first_name", self.first_name.as_deref()).map_err(|e| bad(e.to_string()))?;
        let last_name =
            PersonName::parse("last_name", self.last_name.as_deref()).map_err(|e| bad(e.to_string()))?;
        let structure = Structure::parse(self.structure.as_deref()).map_err(|e| bad(e.to_string()))?;
        let failed_logins = u32::try_from(self.failed_logins)
            .map_err(|_| bad(format!("failed_logins {}", self.failed_logins)))?;
        Ok(User {
            id: UserId(id),
            username,
            role,
            first_name,
            last_name,
            structure,
            disabled: self.disabled,
            must_change_password: self.must_change_password,
            lock: LockState {
                failed_logins,
                locked_until: self.locked_until.map(from_db),
            },
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        })
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NewUserRow<'a> {
    pub username: &'a str,
    pub username_key: String,
    pub role: &'static str,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub structure: Option<&'a str>,
    pub password_hash: &'a str,
    pub disabled: bool,
    pub must_change_password: bool,
    pub failed_logins: i32,
    pub locked_until: Option<PrimitiveDateTime>,
    pub created_at: PrimitiveDateTime,
    pub updated_at: PrimitiveDateTime,
}

impl<'a> NewUserRow<'a> {
    pub fn new(user: &'a NewUser) -> Self {
        let now = to_db(user.now);
        Self {
            username: user.username.as_str(),
            username_key: user.username.key(),
            role: user.role.as_str(),
            first_name: user.first_name.as_deref(),
            last_name: user.last_name.as_deref(),
            structure: user.structure.as_deref(),
            password_hash: &user.password_hash.0,
            disabled: false,
            must_change_password: user.must_change_password,
            failed_logins: 0,
            locked_until: None,
            created_at: now,
            updated_at: now,
        }
    }
}

/// The columns a [`UserUpdate`] touches. `None` skips a column; `Some(None)` clears a
/// nullable one. `updated_at` is always set, so the changeset is never empty.
#[derive(Debug, Clone, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct UserChangeset {
    pub username: Option<String>,
    pub username_key: Option<String>,
    pub first_name: Option<Option<String>>,
    pub last_name: Option<Option<String>>,
    pub structure: Option<Option<String>>,
    pub disabled: Option<bool>,
    pub password_hash: Option<String>,
    pub must_change_password: Option<bool>,
    pub updated_at: PrimitiveDateTime,
}

impl UserChangeset {
    pub fn new(update: &UserUpdate, now: OffsetDateTime) -> Self {
        let text = |v: Option<&str>| v.map(str::to_owned);
        Self {
            username: update.username.as_ref().map(|u| u.as_str().to_owned()),
            username_key: update.username.as_ref().map(Username::key),
            first_name: update.first_name.as_ref().map(|n| text(n.as_deref())),
            last_name: update.last_name.as_ref().map(|n| text(n.as_deref())),
            structure: update.structure.as_ref().map(|s| text(s.as_deref())),
            disabled: update.disabled,
            password_hash: update.password.as_ref().map(|(hash, _)| hash.0.clone()),
            must_change_password: update.password.as_ref().map(|(_, must)| *must),
            updated_at: to_db(now),
        }
    }
}

/// The stored form of a lock state. The counter is `INTEGER`; a count past `i32::MAX`
/// (two billion failures) is stored as the maximum rather than failing the login path.
pub fn lock_columns(state: LockState) -> (i32, Option<PrimitiveDateTime>) {
    (
        i32::try_from(state.failed_logins).unwrap_or(i32::MAX),
        state.locked_until.map(to_db),
    )
}

#[auto_type]
pub fn by_id(id: i64) -> _ {
    users::table.filter(users::id.eq(id))
}

#[auto_type]
pub fn by_key<'a>(key: &'a str) -> _ {
    users::table.filter(users::username_key.eq(key))
}

/// The compare half of `swap_lock_state` when the expected state has no lock time.
/// NULL never equals NULL in SQL, so "expected unlocked" needs its own statement;
/// this and [`lock_is_until()`] are the portable spelling of `IS NOT DISTINCT FROM`.
#[auto_type]
pub fn lock_is_unset(id: i64, failed_logins: i32) -> _ {
    users::table
        .filter(users::id.eq(id))
        .filter(users::failed_logins.eq(failed_logins))
        .filter(users::locked_until.is_null())
}

/// The compare half of `swap_lock_state` when the expected state has a lock time.
#[auto_type]
pub fn lock_is_until(id: i64, failed_logins: i32, until: PrimitiveDateTime) -> _ {
    users::table
        .filter(users::id.eq(id))
        .filter(users::failed_logins.eq(failed_logins))
        .filter(users::locked_until.eq(until))
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_ports::PasswordHash;
    use time::macros::datetime;

    fn row() -> UserRow {
        UserRow {
            id: 7,
            username: "Ada.Lovelace".into(),
            role: "admin".into(),
            first_name: Some("Ada".into()),
            last_name: None,
            structure: Some("B 3".into()),
            disabled: false,
            must_change_password: true,
            failed_logins: 2,
            locked_until: Some(datetime!(2026-01-01 12:15:00.000_001)),
            created_at: datetime!(2026-01-01 12:00),
            updated_at: datetime!(2026-01-02 12:00),
        }
    }

    #[test]
    fn a_valid_row_becomes_a_user() {
        let user = row().into_domain().unwrap();
        assert_eq!(user.id, UserId(7));
        assert_eq!(user.username.as_str(), "Ada.Lovelace");
        assert_eq!(user.role, Role::Admin);
        assert_eq!(user.first_name.as_deref(), Some("Ada"));
        assert_eq!(user.last_name.as_deref(), None);
        assert_eq!(user.structure.as_deref(), Some("B 3"));
        assert!(user.must_change_password && !user.disabled);
        assert_eq!(
            user.lock,
            LockState {
                failed_logins: 2,
                locked_until: Some(datetime!(2026-01-01 12:15:00.000_001 UTC))
            }
        );
        assert_eq!(user.created_at, datetime!(2026-01-01 12:00 UTC));
        assert_eq!(user.updated_at, datetime!(2026-01-02 12:00 UTC));
    }

    #[test]
    fn rows_the_domain_refuses_are_corrupt() {
        let cases: [fn(&mut UserRow); 5] = [
            |r| r.username = "ab".into(),
            |r| r.role = "root".into(),
            |r| r.first_name = Some("a\u{202E}b".into()),
            |r| r.structure = Some("x".repeat(201)),
            |r| r.failed_logins = -1,
        ];
        for break_row in cases {
            let mut r = row();
            break_row(&mut r);
            let err = r.into_domain().unwrap_err();
            assert!(
                matches!(err, StoreError::Corrupt(ref m) if m.starts_with("user 7")),
                "{err:?}"
            );
        }
    }

    fn new_user() -> NewUser {
        NewUser {
            username: Username::parse(" Émile ").unwrap(),
            role: Role::User,
            first_name: PersonName::parse("firstName", Some("Émile")).unwrap(),
            last_name: PersonName::default(),
            structure: Structure::parse(Some("C 12")).unwrap(),
            password_hash: PasswordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
            must_change_password: true,
            now: datetime!(2026-05-01 10:00:00.123_456_789 +02:00),
        }
    }

    #[test]
    fn new_rows_store_the_case_folded_key_and_utc_microseconds() {
        let user = new_user();
        let row = NewUserRow::new(&user);
        assert_eq!(row.username, "Émile");
        assert_eq!(row.username_key, "émile");
        assert_eq!(row.role, "user");
        assert_eq!(
            (row.first_name, row.last_name, row.structure),
            (Some("Émile"), None, Some("C 12"))
        );
        assert_eq!(row.created_at, datetime!(2026-05-01 08:00:00.123_456));
        assert_eq!(row.created_at, row.updated_at);
        assert!(row.must_change_password && !row.disabled);
        assert_eq!((row.failed_logins, row.locked_until), (0, None));
    }

    #[test]
    fn changesets_touch_only_given_fields() {
        let now = datetime!(2026-05-01 10:00 UTC);
        let empty = UserChangeset::new(&UserUpdate::default(), now);
        assert_eq!(
            empty,
            UserChangeset {
                username: None,
                username_key: None,
                first_name: None,
                last_name: None,
                structure: None,
                disabled: None,
                password_hash: None,
                must_change_password: None,
                updated_at: datetime!(2026-05-01 10:00),
            }
        );
        let update = UserUpdate {
            username: Some(Username::parse("NewName").unwrap()),
            last_name: Some(PersonName::default()),
            password: Some((PasswordHash("$argon2id$x".into()), false)),
            disabled: Some(true),
            ..UserUpdate::default()
        };
        let set = UserChangeset::new(&update, now);
        assert_eq!(set.username.as_deref(), Some("NewName"));
        assert_eq!(set.username_key.as_deref(), Some("newname"));
        assert_eq!(set.first_name, None, "absent: left alone");
        assert_eq!(set.last_name, Some(None), "given but empty: cleared");
        assert_eq!(set.password_hash.as_deref(), Some("$argon2id$x"));
        assert_eq!(set.must_change_password, Some(false));
        assert_eq!(set.disabled, Some(true));
    }

    #[test]
    fn lock_state_columns() {
        let t = datetime!(2026-01-01 0:00:00.000_000_999 UTC);
        assert_eq!(lock_columns(LockState::default()), (0, None));
        assert_eq!(
            lock_columns(LockState {
                failed_logins: 5,
                locked_until: Some(t)
            }),
            (5, Some(datetime!(2026-01-01 0:00)))
        );
        assert_eq!(
            lock_columns(LockState {
                failed_logins: u32::MAX,
                locked_until: None
            })
            .0,
            i32::MAX
        );
    }
}
