//! `UserStore`: creating, reading, listing and deleting users.

use latchkey_domain::{LockState, LoginOutcome, PersonName, Role, Structure, Username};
use time::UtcOffset;
use time::macros::datetime;

use super::ConformanceStore;
use super::fixtures::{NOBODY, T0, at, hash, micros, new_session, new_user, username};
use crate::{NewLoginAudit, NewUser, StoreError, UserUpdate};

pub async fn create_user_round_trips_every_field<S: ConformanceStore>(store: S) {
    let now = datetime!(2026-03-01 09:30:00.654_321 +02:00);
    let input = NewUser {
        username: username("Ada.Lovelace"),
        role: Role::Admin,
        first_name: PersonName::parse("firstName", Some("Ada")).unwrap(),
        last_name: PersonName::parse("lastName", Some("Lovelace")).unwrap(),
        structure: Structure::parse(Some("Building 3, flat 12")).unwrap(),
        password_hash: hash("ada"),
        must_change_password: true,
        now,
    };
    let created = store.create_user(input).await.unwrap();

    assert_eq!(created.username.as_str(), "Ada.Lovelace");
    assert_eq!(created.role, Role::Admin);
    assert_eq!(created.first_name.as_deref(), Some("Ada"));
    assert_eq!(created.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(created.structure.as_deref(), Some("Building 3, flat 12"));
    assert!(created.must_change_password);
    assert!(!created.disabled);
    assert_eq!(created.lock, LockState::default());
    assert_eq!((created.created_at, created.updated_at), (now, now));
    assert_eq!(
        created.created_at.offset(),
        UtcOffset::UTC,
        "stores hand back UTC"
    );

    assert_eq!(store.get_user(created.id).await.unwrap(), created);
}

pub async fn timestamps_round_trip_to_the_microsecond<S: ConformanceStore>(store: S) {
    let now = datetime!(2026-07-14 23:59:59.999_999_999 -05:00);
    let user = store
        .create_user(NewUser {
            now,
            ..new_user("timely")
        })
        .await
        .unwrap();
    assert_eq!(user.created_at, micros(now));

    let until = datetime!(2026-07-15 05:15:00.000_001 UTC);
    let locked = LockState {
        failed_logins: 5,
        locked_until: Some(until),
    };
    assert!(
        store
            .swap_lock_state(user.id, LockState::default(), locked)
            .await
            .unwrap()
    );
    let fetched = store.get_user(user.id).await.unwrap();
    assert_eq!(fetched.created_at, micros(now));
    assert_eq!(fetched.lock.locked_until, Some(until));
}

pub async fn duplicate_username_in_another_case_conflicts<S: ConformanceStore>(store: S) {
    store.create_user(new_user("Ada")).await.unwrap();
    for taken in ["ADA", "ada", "  aDa  "] {
        let err = store.create_user(new_user(taken)).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{taken:?}: {err:?}");
    }
    store.create_user(new_user("Émile")).await.unwrap();
    let err = store.create_user(new_user("ÉMILE")).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(store.count_users().await.unwrap(), 2);
}

pub async fn unicode_username_round_trips<S: ConformanceStore>(store: S) {
    let name = "Zoë Ørsted-Ñúñez 李小龍 🗝";
    let user = store.create_user(new_user(name)).await.unwrap();
    assert_eq!(user.username.as_str(), name);
    assert_eq!(store.get_user(user.id).await.unwrap().username.as_str(), name);
    let found = store
        .find_credentials(&Username::key_of("ZOË ØRSTED-ÑÚÑEZ 李小龍 🗝"))
        .await
        .unwrap();
    assert_eq!(found.map(|c| c.user.id), Some(user.id));
}

pub async fn count_users_counts_every_user<S: ConformanceStore>(store: S) {
    assert_eq!(store.count_users().await.unwrap(), 0);
    store.create_user(new_user("one")).await.unwrap();
    let two = store.create_user(new_user("two")).await.unwrap();
    store
        .update_user(
            two.id,
            UserUpdate {
                disabled: Some(true),
                ..Default::default()
            },
            at(1),
        )
        .await
        .unwrap();
    assert_eq!(store.count_users().await.unwrap(), 2, "disabled users count too");
}

pub async fn unknown_user_is_not_found<S: ConformanceStore>(store: S) {
    assert_eq!(store.get_user(NOBODY).await, Err(StoreError::NotFound));
}

pub async fn find_credentials_looks_up_by_key<S: ConformanceStore>(store: S) {
    let ada = store.create_user(new_user("Ada.Lovelace")).await.unwrap();
    store.create_user(new_user("grace")).await.unwrap();

    let found = store
        .find_credentials(&username("ADA.LOVELACE").key())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.user, ada);
    assert_eq!(found.password_hash, hash("Ada.Lovelace"));
    assert!(store.find_credentials("nobody").await.unwrap().is_none());
}

pub async fn list_users_is_ordered_by_id<S: ConformanceStore>(store: S) {
    assert!(store.list_users().await.unwrap().is_empty());
    let mut created = Vec::new();
    for name in ["charlie", "alice", "bob"] {
        created.push(store.create_user(new_user(name)).await.unwrap());
    }
    let listed = store.list_users().await.unwrap();
    assert!(listed.windows(2).all(|w| w[0].id < w[1].id), "ascending ids");
    created.sort_by_key(|u| u.id);
    assert_eq!(listed, created);
}

pub async fn delete_user_cascades_sessions_and_keeps_audit_text<S: ConformanceStore>(store: S) {
    let doomed = store.create_user(new_user("doomed")).await.unwrap();
    let other = store.create_user(new_user("survivor")).await.unwrap();
    store
        .create_session(new_session("d-1", doomed.id, T0))
        .await
        .unwrap();
    store
        .create_session(new_session("s-1", other.id, T0))
        .await
        .unwrap();
    for (user, minute) in [(&doomed, 1), (&other, 2)] {
        let event = NewLoginAudit {
            occurred_at: at(minute),
            username: user.username.to_string(),
            user_id: Some(user.id),
            outcome: LoginOutcome::Success,
            ip: None,
            user_agent: None,
        };
        store.record_login(event).await.unwrap();
    }

    store.delete_user(doomed.id).await.unwrap();

    assert_eq!(store.get_user(doomed.id).await, Err(StoreError::NotFound));
    assert!(store.find_session("d-1").await.unwrap().is_none());
    assert!(store.find_session("s-1").await.unwrap().is_some());
    let audit = store.list_logins(0, 10).await.unwrap();
    assert_eq!(audit.total, 2, "audit rows outlive the user");
    let kept: Vec<_> = audit
        .items
        .iter()
        .map(|e| (e.username.as_str(), e.user_id))
        .collect();
    assert_eq!(kept, [("survivor", Some(other.id)), ("doomed", None)]);
}

pub async fn delete_unknown_user_is_not_found<S: ConformanceStore>(store: S) {
    assert_eq!(store.delete_user(NOBODY).await, Err(StoreError::NotFound));
    let user = store.create_user(new_user("once")).await.unwrap();
    store.delete_user(user.id).await.unwrap();
    assert_eq!(store.delete_user(user.id).await, Err(StoreError::NotFound));
}
