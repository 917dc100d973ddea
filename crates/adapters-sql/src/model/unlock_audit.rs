//! The `unlock_events` table: rows, conversions and query pieces for `UnlockAuditStore`.
//!
//! The actor is two columns plus a kind: `actor_user_id` for a user, `guest_link_id`
//! for a guest. The table has no foreign keys, so ids outlive what they name.

use diesel::dsl::auto_type;
use diesel::{BoolExpressionMethods, ExpressionMethods, Insertable, QueryDsl, Queryable, Selectable};
use latchkey_domain::{IntercomId, RingAccountId, UnlockActor, UnlockEvent, UnlockOutcome, UserId};
use latchkey_ports::{NewUnlockEvent, StoreError};
use time::PrimitiveDateTime;

use super::corrupt;
use crate::schema::unlock_events;
use crate::timestamps::{from_db, to_db};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = unlock_events, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct UnlockEventRow {
    pub id: i64,
    pub occurred_at: PrimitiveDateTime,
    pub actor_kind: String,
    pub actor_user_id: Option<i64>,
    pub guest_link_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub ring_account_id: Option<i64>,
    pub intercom_id: Option<i64>,
    pub outcome: String,
    pub error_code: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl UnlockEventRow {
    /// # Errors
    /// [`StoreError::Corrupt`] for an unknown outcome, a user actor without its id, or
    /// any actor with the other kind's id (the table's check forbids that; a hand edit
    /// could still try). A guest actor may lack a link id (unknown token, rate limit).
    pub fn into_domain(self) -> Result<UnlockEvent, StoreError> {
        let bad = |what: String| corrupt("unlock_event", self.id, what);
        let actor = match (self.actor_kind.as_str(), self.actor_user_id, self.guest_link_id) {
            ("user", Some(user), None) => UnlockActor::User(UserId(user)),
            ("guest", None, link_id) => UnlockActor::Guest { link_id },
            (kind, user, link) => {
                return Err(bad(format!(
                    "actor {kind:?} with actor_user_id {user:?} and guest_link_id {link:?}"
                )));
            }
        };
        let outcome = UnlockOutcome::parse(&self.outcome)
            .ok_or_else(|| bad(format!("unknown outcome {:?}", self.outcome)))?;
        Ok(UnlockEvent {
            id: self.id,
            occurred_at: from_db(self.occurred_at),
            actor,
            owner_id: self.owner_id.map(UserId),
            ring_account_id: self.ring_account_id.map(RingAccountId),
            intercom_id: self.intercom_id.map(IntercomId),
            outcome,
            error_code: self.error_code,
            ip: self.ip,
            user_agent: self.user_agent,
        })
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = unlock_events, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NewUnlockEventRow<'a> {
    pub occurred_at: PrimitiveDateTime,
    pub actor_kind: &'static str,
    pub actor_user_id: Option<i64>,
    pub guest_link_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub ring_account_id: Option<i64>,
    pub intercom_id: Option<i64>,
    pub outcome: &'static str,
    pub error_code: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

impl<'a> NewUnlockEventRow<'a> {
    pub fn new(event: &'a NewUnlockEvent) -> Self {
        let (actor_user_id, guest_link_id) = match event.actor {
            UnlockActor::User(id) => (Some(id.0), None),
            UnlockActor::Guest { link_id } => (None, link_id),
        };
        Self {
            occurred_at: to_db(event.occurred_at),
            actor_kind: event.actor.kind(),
            actor_user_id,
            guest_link_id,
            owner_id: event.owner_id.map(|id| id.0),
            ring_account_id: event.ring_account_id.map(|id| id.0),
            intercom_id: event.intercom_id.map(|id| id.0),
            outcome: event.outcome.as_str(),
            error_code: event.error_code.as_deref(),
            ip: event.ip.as_deref(),
            user_agent: event.user_agent.as_deref(),
        }
    }
}

/// Events whose owner or acting user is `user_id`. Each arm of the OR has its own
/// index (`unlock_events_owner_idx`, `unlock_events_actor_idx`).
#[auto_type]
pub fn involving(user_id: i64) -> _ {
    unlock_events::table.filter(
        unlock_events::owner_id
            .eq(user_id)
            .or(unlock_events::actor_user_id.eq(user_id)),
    )
}

/// One page of every event, newest first; `id` orders events of the same microsecond.
/// Served by `unlock_events_newest_idx`.
#[auto_type]
pub fn page(offset: i64, limit: i64) -> _ {
    unlock_events::table
        .order_by((unlock_events::occurred_at.desc(), unlock_events::id.desc()))
        .offset(offset)
        .limit(limit)
}

/// One page of [`involving()`], in the same order as [`page()`].
#[auto_type]
pub fn page_involving(user_id: i64, offset: i64, limit: i64) -> _ {
    let events: involving = involving(user_id);
    events
        .order_by((unlock_events::occurred_at.desc(), unlock_events::id.desc()))
        .offset(offset)
        .limit(limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn event(actor: UnlockActor) -> NewUnlockEvent {
        NewUnlockEvent {
            occurred_at: datetime!(2026-01-01 08:00 UTC),
            actor,
            owner_id: Some(UserId(1)),
            ring_account_id: Some(RingAccountId(2)),
            intercom_id: Some(IntercomId(3)),
            outcome: UnlockOutcome::Unknown,
            error_code: Some("ring_timeout".into()),
            ip: None,
            user_agent: None,
        }
    }

    /// What the database would hand back for `new`, with id 9.
    fn stored(new: &NewUnlockEventRow<'_>) -> UnlockEventRow {
        UnlockEventRow {
            id: 9,
            occurred_at: new.occurred_at,
            actor_kind: new.actor_kind.into(),
            actor_user_id: new.actor_user_id,
            guest_link_id: new.guest_link_id,
            owner_id: new.owner_id,
            ring_account_id: new.ring_account_id,
            intercom_id: new.intercom_id,
            outcome: new.outcome.into(),
            error_code: new.error_code.map(str::to_owned),
            ip: None,
            user_agent: None,
        }
    }

    #[test]
    fn both_kinds_of_actor_round_trip() {
        for actor in [
            UnlockActor::User(UserId(7)),
            UnlockActor::Guest { link_id: Some(11) },
            UnlockActor::Guest { link_id: None },
        ] {
            let new = event(actor);
            let back = stored(&NewUnlockEventRow::new(&new)).into_domain().unwrap();
            assert_eq!(back.actor, actor);
            assert_eq!(back.outcome, UnlockOutcome::Unknown);
            assert_eq!(
                (back.owner_id, back.ring_account_id, back.intercom_id),
                (Some(UserId(1)), Some(RingAccountId(2)), Some(IntercomId(3)))
            );
            assert_eq!(back.error_code.as_deref(), Some("ring_timeout"));
        }
    }

    #[test]
    fn mismatched_actors_and_unknown_outcomes_are_corrupt() {
        let new = event(UnlockActor::User(UserId(7)));
        let good = stored(&NewUnlockEventRow::new(&new));
        let cases: [fn(&mut UnlockEventRow); 4] = [
            |r| r.actor_kind = "robot".into(),
            |r| r.actor_user_id = None,
            |r| r.guest_link_id = Some(1),
            |r| r.outcome = "OPENED".into(),
        ];
        for break_row in cases {
            let mut r = good.clone();
            break_row(&mut r);
            let err = r.into_domain().unwrap_err();
            assert!(
                matches!(err, StoreError::Corrupt(ref m) if m.starts_with("unlock_event 9")),
                "{err:?}"
            );
        }
    }
}
