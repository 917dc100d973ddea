//! `DeviceHealthStore`.

use latchkey_domain::{IntercomId, RingAccountId};
use time::OffsetDateTime;
use time::macros::datetime;

use super::ConformanceStore;
use super::fixtures::{T0, at, micros, new_ring_account, new_user};
use crate::HealthSnapshot;

fn snapshot(account: RingAccountId, intercom: i64, taken_at: OffsetDateTime, battery: i32) -> HealthSnapshot {
    HealthSnapshot {
        ring_account_id: account,
        intercom_id: IntercomId(intercom),
        taken_at,
        online: Some(true),
        battery_percent: Some(battery),
        signal_dbm: None,
        firmware: None,
    }
}

fn batteries(history: &[HealthSnapshot]) -> Vec<Option<i32>> {
    history.iter().map(|s| s.battery_percent).collect()
}

pub async fn record_health_round_trips_every_field<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let account = store
        .create_ring_account(new_ring_account(user.id, "Home", T0))
        .await
        .unwrap();
    let full = HealthSnapshot {
        ring_account_id: account.id,
        intercom_id: IntercomId(i64::MAX),
        taken_at: datetime!(2026-03-01 09:30:00.654_321_999 +02:00),
        online: Some(false),
        battery_percent: Some(0),
        signal_dbm: Some(-87),
        firmware: Some("ring-intercom 2.0.1 ünïcode".to_owned()),
    };
    let unknown = HealthSnapshot {
        ring_account_id: account.id,
        intercom_id: IntercomId(i64::MAX),
        taken_at: at(200),
        online: None,
        battery_percent: None,
        signal_dbm: None,
        firmware: None,
    };
    store.record_health(full.clone()).await.unwrap();
    store.record_health(unknown.clone()).await.unwrap();

    let history = store
        .health_history(account.id, IntercomId(i64::MAX), 10)
        .await
        .unwrap();
    let expected_full = HealthSnapshot {
        taken_at: micros(full.taken_at),
        ..full
    };
    assert_eq!(history, [unknown, expected_full]);
}

/// Newest first (id orders equal times), at most `limit`, one intercom of one account.
pub async fn health_history_is_newest_first_limited_and_per_intercom<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let home = store
        .create_ring_account(new_ring_account(user.id, "Home", T0))
        .await
        .unwrap();
    let office = store
        .create_ring_account(new_ring_account(user.id, "Office", T0))
        .await
        .unwrap();
    // Recorded out of time order; two share a timestamp (the later recorded is newer).
    for (minute, battery) in [(2, 20), (5, 50), (1, 10), (4, 40), (4, 41), (3, 30)] {
        store
            .record_health(snapshot(home.id, 1, at(minute), battery))
            .await
            .unwrap();
    }
    store
        .record_health(snapshot(home.id, 2, at(9), 99))
        .await
        .unwrap();
    store
        .record_health(snapshot(office.id, 1, at(9), 98))
        .await
        .unwrap();

    let newest = store.health_history(home.id, IntercomId(1), 3).await.unwrap();
    assert_eq!(batteries(&newest), [Some(50), Some(41), Some(40)]);
    let all = store
        .health_history(home.id, IntercomId(1), u64::MAX)
        .await
        .unwrap();
    assert_eq!(all.len(), 6);
    assert!(
        all.iter()
            .all(|s| s.ring_account_id == home.id && s.intercom_id == IntercomId(1))
    );
    assert!(
        store
            .health_history(home.id, IntercomId(1), 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .health_history(home.id, IntercomId(3), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let other = store.health_history(office.id, IntercomId(1), 10).await.unwrap();
    assert_eq!(batteries(&other), [Some(98)]);
}

/// Deletes snapshots taken strictly before `before`, across accounts; returns how many.
pub async fn prune_health_deletes_only_older_snapshots<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let home = store
        .create_ring_account(new_ring_account(user.id, "Home", T0))
        .await
        .unwrap();
    let office = store
        .create_ring_account(new_ring_account(user.id, "Office", T0))
        .await
        .unwrap();
    for (minute, battery) in [(1, 10), (2, 20), (3, 30)] {
        store
            .record_health(snapshot(home.id, 1, at(minute), battery))
            .await
            .unwrap();
        store
            .record_health(snapshot(office.id, 7, at(minute), battery))
            .await
            .unwrap();
    }
    assert_eq!(store.prune_health(at(2)).await.unwrap(), 2);
    for (account, intercom) in [(home.id, 1), (office.id, 7)] {
        let left = store
            .health_history(account, IntercomId(intercom), 10)
            .await
            .unwrap();
        assert_eq!(batteries(&left), [Some(30), Some(20)], "the boundary is kept");
    }
    assert_eq!(store.prune_health(at(2)).await.unwrap(), 0);
}
