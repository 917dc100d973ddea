//! The `login_audit` table: rows, conversions and query pieces for `LoginAuditStore`.

use diesel::dsl::auto_type;
use diesel::{ExpressionMethods, Insertable, QueryDsl, Queryable, Selectable};
use latchkey_domain::{LoginAuditEvent, LoginOutcome, UserId};
use latchkey_ports::{NewLoginAudit, StoreError};
use time::PrimitiveDateTime;

use super::corrupt;
use crate::schema::login_audit;
use crate::timestamps::{from_db, to_db};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = login_audit, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct LoginAuditRow {
    pub id: i64,
    pub occurred_at: PrimitiveDateTime,
    pub username: String,
    pub user_id: Option<i64>,
    pub outcome: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl LoginAuditRow {
    /// # Errors
    /// [`StoreError::Corrupt`] for an outcome the domain does not know.
    pub fn into_domain(self) -> Result<LoginAuditEvent, StoreError> {
        let outcome = LoginOutcome::parse(&self.outcome).ok_or_else(|| {
            corrupt(
                "login_audit",
                self.id,
                format!("unknown outcome {:?}", self.outcome),
            )
        })?;
        Ok(LoginAuditEvent {
            id: self.id,
            occurred_at: from_db(self.occurred_at),
            username: self.username,
            user_id: self.user_id.map(UserId),
            outcome,
            ip: self.ip,
            user_agent: self.user_agent,
        })
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = login_audit, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NewLoginAuditRow<'a> {
    pub occurred_at: PrimitiveDateTime,
    pub username: &'a str,
    pub user_id: Option<i64>,
    pub outcome: &'static str,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

impl<'a> NewLoginAuditRow<'a> {
    pub fn new(event: &'a NewLoginAudit) -> Self {
        Self {
            occurred_at: to_db(event.occurred_at),
            username: &event.username,
            user_id: event.user_id.map(|id| id.0),
            outcome: event.outcome.as_str(),
            ip: event.ip.as_deref(),
            user_agent: event.user_agent.as_deref(),
        }
    }
}

/// One page, newest first; `id` orders events recorded in the same microsecond.
/// Served by `login_audit_newest_idx`.
#[auto_type]
pub fn page(offset: i64, limit: i64) -> _ {
    login_audit::table
        .order_by((login_audit::occurred_at.desc(), login_audit::id.desc()))
        .offset(offset)
        .limit(limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn row(outcome: &str) -> LoginAuditRow {
        LoginAuditRow {
            id: 9,
            occurred_at: datetime!(2026-01-01 08:00),
            username: "ADA".into(),
            user_id: None,
            outcome: outcome.into(),
            ip: Some("2001:db8::1".into()),
            user_agent: Some("curl/8".into()),
        }
    }

    #[test]
    fn known_outcomes_round_trip_and_unknown_ones_are_corrupt() {
        let new = NewLoginAudit {
            occurred_at: datetime!(2026-01-01 08:00 UTC),
            username: "ADA".into(),
            user_id: Some(UserId(2)),
            outcome: LoginOutcome::Locked,
            ip: None,
            user_agent: None,
        };
        let stored = NewLoginAuditRow::new(&new);
        assert_eq!((stored.outcome, stored.user_id), ("locked", Some(2)));

        let event = row(stored.outcome).into_domain().unwrap();
        assert_eq!(event.outcome, LoginOutcome::Locked);
        assert_eq!(event.occurred_at, datetime!(2026-01-01 08:00 UTC));
        assert_eq!(event.user_id, None);
        assert!(matches!(row("hacked").into_domain(), Err(StoreError::Corrupt(_))));
    }
}
