//! The `ring_auth_attempts` and `ring_code_requests` tables: rows, conversions and query
//! pieces for `RingAuthAttemptStore`.

use diesel::dsl::auto_type;
use diesel::{ExpressionMethods, Insertable, QueryDsl, Queryable, Selectable};
use latchkey_domain::{AccountLabel, RingAccountId, UserId};
use latchkey_ports::{NewRingAuthAttempt, RingAuthAttempt, StoreError};
use time::PrimitiveDateTime;

use super::corrupt;
use crate::schema::{ring_auth_attempts, ring_code_requests};
use crate::timestamps::{from_db, to_db};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ring_auth_attempts, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct RingAuthAttemptRow {
    pub id: i64,
    pub user_id: i64,
    pub ring_account_id: Option<i64>,
    pub account_label: Option<String>,
    pub hardware_id: String,
    pub sealed_credentials: Vec<u8>,
    pub prompt: String,
    pub created_at: PrimitiveDateTime,
    pub expires_at: PrimitiveDateTime,
}

impl RingAuthAttemptRow {
    /// # Errors
    /// [`StoreError::Corrupt`] for a label the domain refuses.
    pub fn into_domain(self) -> Result<RingAuthAttempt, StoreError> {
        let account_label = self
            .account_label
            .as_deref()
            .map(AccountLabel::parse)
            .transpose()
            .map_err(|e| corrupt("ring_auth_attempt", self.id, format!("account_label: {e}")))?;
        Ok(RingAuthAttempt {
            id: self.id,
            user_id: UserId(self.user_id),
            ring_account_id: self.ring_account_id.map(RingAccountId),
            account_label,
            hardware_id: self.hardware_id,
            sealed_credentials: self.sealed_credentials,
            prompt: self.prompt,
            created_at: from_db(self.created_at),
            expires_at: from_db(self.expires_at),
        })
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = ring_auth_attempts, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NewRingAuthAttemptRow<'a> {
    pub user_id: i64,
    pub ring_account_id: Option<i64>,
    pub account_label: Option<&'a str>,
    pub hardware_id: &'a str,
    pub sealed_credentials: &'a [u8],
    pub prompt: &'a str,
    pub created_at: PrimitiveDateTime,
    pub expires_at: PrimitiveDateTime,
}

impl<'a> NewRingAuthAttemptRow<'a> {
    pub fn new(attempt: &'a NewRingAuthAttempt) -> Self {
        Self {
            user_id: attempt.user_id.0,
            ring_account_id: attempt.ring_account_id.map(|id| id.0),
            account_label: attempt.account_label.as_ref().map(AccountLabel::as_str),
            hardware_id: &attempt.hardware_id,
            sealed_credentials: &attempt.sealed_credentials,
            prompt: &attempt.prompt,
            created_at: to_db(attempt.created_at),
            expires_at: to_db(attempt.expires_at),
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = ring_code_requests, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NewCodeRequestRow<'a> {
    pub user_id: i64,
    pub email_hash: &'a str,
    pub requested_at: PrimitiveDateTime,
}

#[auto_type]
pub fn attempt_by_id(id: i64) -> _ {
    ring_auth_attempts::table.filter(ring_auth_attempts::id.eq(id))
}

/// The user's attempt while it is still usable. "Expired at `now`" is `expires_at <= now`,
/// the same boundary `delete_expired_ring_auth_attempts` uses, so no attempt is ever both
/// findable and deletable as expired.
#[auto_type]
pub fn live_attempt(id: i64, user_id: i64, now: PrimitiveDateTime) -> _ {
    ring_auth_attempts::table
        .filter(ring_auth_attempts::id.eq(id))
        .filter(ring_auth_attempts::user_id.eq(user_id))
        .filter(ring_auth_attempts::expires_at.gt(now))
}

#[auto_type]
pub fn expired_attempts(now: PrimitiveDateTime) -> _ {
    ring_auth_attempts::table.filter(ring_auth_attempts::expires_at.le(now))
}

/// Codes requested for `(user, email_hash)` at or after `since`; served by
/// `ring_code_requests_window_idx`.
#[auto_type]
pub fn code_requests_since<'a>(user_id: i64, email_hash: &'a str, since: PrimitiveDateTime) -> _ {
    ring_code_requests::table
        .filter(ring_code_requests::user_id.eq(user_id))
        .filter(ring_code_requests::email_hash.eq(email_hash))
        .filter(ring_code_requests::requested_at.ge(since))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn row(label: Option<&str>) -> RingAuthAttemptRow {
        RingAuthAttemptRow {
            id: 5,
            user_id: 2,
            ring_account_id: Some(8),
            account_label: label.map(str::to_owned),
            hardware_id: "hw".into(),
            sealed_credentials: vec![0, 255, 128],
            prompt: "Code sent to ***@example.com".into(),
            created_at: datetime!(2026-01-01 08:00),
            expires_at: datetime!(2026-01-01 08:10),
        }
    }

    #[test]
    fn rows_become_attempts_and_bad_labels_are_corrupt() {
        let attempt = row(Some("Home")).into_domain().unwrap();
        assert_eq!(
            attempt.account_label.as_ref().map(AccountLabel::as_str),
            Some("Home")
        );
        assert_eq!(attempt.ring_account_id, Some(RingAccountId(8)));
        assert_eq!(attempt.sealed_credentials, [0, 255, 128]);
        assert_eq!(attempt.expires_at, datetime!(2026-01-01 08:10 UTC));
        assert_eq!(row(None).into_domain().unwrap().account_label, None);
        assert!(matches!(
            row(Some(" ")).into_domain(),
            Err(StoreError::Corrupt(m)) if m.starts_with("ring_auth_attempt 5")
        ));
    }

    #[test]
    fn new_rows_borrow_the_attempt() {
        let attempt = NewRingAuthAttempt {
            user_id: UserId(2),
            ring_account_id: None,
            account_label: Some(AccountLabel::parse("Home").unwrap()),
            hardware_id: "hw".into(),
            sealed_credentials: vec![1, 2, 3],
            prompt: "p".into(),
            created_at: datetime!(2026-01-01 08:00:00.000_000_9 UTC),
            expires_at: datetime!(2026-01-01 08:10 UTC),
        };
        let row = NewRingAuthAttemptRow::new(&attempt);
        assert_eq!(
            (row.user_id, row.ring_account_id, row.account_label),
            (2, None, Some("Home"))
        );
        assert_eq!(row.sealed_credentials, [1, 2, 3]);
        assert_eq!(row.created_at, datetime!(2026-01-01 08:00));
    }
}
