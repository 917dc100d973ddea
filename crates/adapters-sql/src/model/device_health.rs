//! The `device_health` table: rows, conversions and query pieces for `DeviceHealthStore`.

use diesel::dsl::auto_type;
use diesel::{ExpressionMethods, Insertable, QueryDsl, Queryable, Selectable};
use latchkey_domain::{IntercomId, RingAccountId};
use latchkey_ports::HealthSnapshot;
use time::PrimitiveDateTime;

use crate::schema::device_health;
use crate::timestamps::{from_db, to_db};

/// A snapshot as stored; `id` only orders snapshots taken in the same microsecond and
/// is not part of the domain value.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = device_health, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct HealthRow {
    pub ring_account_id: i64,
    pub intercom_id: i64,
    pub taken_at: PrimitiveDateTime,
    pub online: Option<bool>,
    pub battery_percent: Option<i32>,
    pub signal_dbm: Option<i32>,
    pub firmware: Option<String>,
}

impl HealthRow {
    /// Every column value is a valid snapshot (the poller stores what Ring reported,
    /// unvalidated), so this cannot fail.
    pub fn into_domain(self) -> HealthSnapshot {
        HealthSnapshot {
            ring_account_id: RingAccountId(self.ring_account_id),
            intercom_id: IntercomId(self.intercom_id),
            taken_at: from_db(self.taken_at),
            online: self.online,
            battery_percent: self.battery_percent,
            signal_dbm: self.signal_dbm,
            firmware: self.firmware,
        }
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = device_health, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct NewHealthRow<'a> {
    pub ring_account_id: i64,
    pub intercom_id: i64,
    pub taken_at: PrimitiveDateTime,
    pub online: Option<bool>,
    pub battery_percent: Option<i32>,
    pub signal_dbm: Option<i32>,
    pub firmware: Option<&'a str>,
}

impl<'a> NewHealthRow<'a> {
    pub fn new(snapshot: &'a HealthSnapshot) -> Self {
        Self {
            ring_account_id: snapshot.ring_account_id.0,
            intercom_id: snapshot.intercom_id.0,
            taken_at: to_db(snapshot.taken_at),
            online: snapshot.online,
            battery_percent: snapshot.battery_percent,
            signal_dbm: snapshot.signal_dbm,
            firmware: snapshot.firmware.as_deref(),
        }
    }
}

/// The newest `limit` snapshots of one intercom under one account; served by
/// `device_health_history_idx`.
#[auto_type]
pub fn history(ring_account_id: i64, intercom_id: i64, limit: i64) -> _ {
    device_health::table
        .filter(device_health::ring_account_id.eq(ring_account_id))
        .filter(device_health::intercom_id.eq(intercom_id))
        .order_by((device_health::taken_at.desc(), device_health::id.desc()))
        .limit(limit)
}

/// Snapshots taken strictly before `before`.
#[auto_type]
pub fn taken_before(before: PrimitiveDateTime) -> _ {
    device_health::table.filter(device_health::taken_at.lt(before))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn snapshots_round_trip_through_rows() {
        let snapshot = HealthSnapshot {
            ring_account_id: RingAccountId(3),
            intercom_id: IntercomId(i64::MAX),
            taken_at: datetime!(2026-01-01 08:00:00.000_001 +01:00),
            online: Some(false),
            battery_percent: None,
            signal_dbm: Some(-71),
            firmware: Some("cam-1.2.3".into()),
        };
        let new = NewHealthRow::new(&snapshot);
        assert_eq!(new.taken_at, datetime!(2026-01-01 07:00:00.000_001));
        let row = HealthRow {
            ring_account_id: new.ring_account_id,
            intercom_id: new.intercom_id,
            taken_at: new.taken_at,
            online: new.online,
            battery_percent: new.battery_percent,
            signal_dbm: new.signal_dbm,
            firmware: new.firmware.map(str::to_owned),
        };
        assert_eq!(row.into_domain(), snapshot);
    }
}
