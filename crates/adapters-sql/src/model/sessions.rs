//! The `sessions` table: rows, conversions and query pieces for `SessionStore`.

use diesel::dsl::auto_type;
use diesel::{BoolExpressionMethods, ExpressionMethods, Insertable, QueryDsl, Queryable, Selectable};
use latchkey_domain::{Session, UserId};
use latchkey_ports::NewSession;
use time::PrimitiveDateTime;

use crate::schema::{sessions, users};
use crate::timestamps::{from_db, to_db};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = sessions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: i64,
    pub created_at: PrimitiveDateTime,
    pub last_seen_at: PrimitiveDateTime,
    pub expires_at: PrimitiveDateTime,
}

impl SessionRow {
    /// Every column value is a valid session, so this cannot fail.
    pub fn into_domain(self) -> Session {
        Session {
            id_hash: self.id_hash,
            user_id: UserId(self.user_id),
            created_at: from_db(self.created_at),
            last_seen_at: from_db(self.last_seen_at),
            expires_at: from_db(self.expires_at),
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sessions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NewSessionRow<'a> {
    pub id_hash: &'a str,
    pub user_id: i64,
    pub created_at: PrimitiveDateTime,
    pub last_seen_at: PrimitiveDateTime,
    pub expires_at: PrimitiveDateTime,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

impl<'a> NewSessionRow<'a> {
    /// A new session was last seen when it was created.
    pub fn new(session: &'a NewSession) -> Self {
        let created = to_db(session.created_at);
        Self {
            id_hash: &session.id_hash,
            user_id: session.user_id.0,
            created_at: created,
            last_seen_at: created,
            expires_at: to_db(session.expires_at),
            ip: session.ip.as_deref(),
            user_agent: session.user_agent.as_deref(),
        }
    }
}

#[auto_type]
pub fn by_hash<'a>(id_hash: &'a str) -> _ {
    sessions::table.filter(sessions::id_hash.eq(id_hash))
}

/// The session and its user: the one indexed lookup behind every authenticated request.
#[auto_type]
pub fn with_user<'a>(id_hash: &'a str) -> _ {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::id_hash.eq(id_hash))
}

#[auto_type]
pub fn of_user(user_id: i64) -> _ {
    sessions::table.filter(sessions::user_id.eq(user_id))
}

/// Past the absolute lifetime (`expires_at <= now`, the instant `SessionPolicy::check`
/// calls expired) or last seen strictly before `idle_before`.
#[auto_type]
pub fn stale(now: PrimitiveDateTime, idle_before: PrimitiveDateTime) -> _ {
    sessions::table.filter(
        sessions::expires_at
            .le(now)
            .or(sessions::last_seen_at.lt(idle_before)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn new_sessions_start_last_seen_at_creation() {
        let s = NewSession {
            id_hash: "ab".repeat(32),
            user_id: UserId(3),
            created_at: datetime!(2026-01-01 08:00:00.000_000_5 UTC),
            expires_at: datetime!(2026-01-01 20:00 UTC),
            ip: Some("192.0.2.1".into()),
            user_agent: None,
        };
        let row = NewSessionRow::new(&s);
        assert_eq!(row.created_at, datetime!(2026-01-01 08:00));
        assert_eq!(row.last_seen_at, row.created_at);
        assert_eq!(row.expires_at, datetime!(2026-01-01 20:00));
        assert_eq!(
            (row.user_id, row.ip, row.user_agent),
            (3, Some("192.0.2.1"), None)
        );
    }

    #[test]
    fn rows_become_sessions_in_utc() {
        let row = SessionRow {
            id_hash: "h".into(),
            user_id: 4,
            created_at: datetime!(2026-01-01 08:00),
            last_seen_at: datetime!(2026-01-01 08:30),
            expires_at: datetime!(2026-01-01 20:00),
        };
        let s = row.into_domain();
        assert_eq!(s.user_id, UserId(4));
        assert_eq!(s.last_seen_at, datetime!(2026-01-01 08:30 UTC));
        assert_eq!(s.expires_at, datetime!(2026-01-01 20:00 UTC));
    }
}
