//! `SessionStore`.

use time::Duration;
use time::macros::datetime;

use super::ConformanceStore;
use super::fixtures::{T0, at, micros, new_session, new_user};
use crate::StoreError;
use latchkey_domain::UserId;

pub async fn create_session_returns_the_stored_session<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let created_at = datetime!(2026-03-01 10:00:00.000_001_999 +01:00);
    let session = store
        .create_session(new_session("h-1", user.id, created_at))
        .await
        .unwrap();
    assert_eq!(session.id_hash, "h-1");
    assert_eq!(session.user_id, user.id);
    assert_eq!(session.created_at, micros(created_at));
    assert_eq!(
        session.last_seen_at, session.created_at,
        "a new session was last seen at creation"
    );
    assert_eq!(session.expires_at, micros(created_at + Duration::hours(12)));
}

pub async fn create_session_for_unknown_user_is_not_found<S: ConformanceStore>(store: S) {
    let err = store
        .create_session(new_session("h-1", UserId(987_654_321), T0))
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::NotFound);
}

pub async fn find_session_returns_the_joined_user<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let other = store.create_user(new_user("neighbour")).await.unwrap();
    let created = store
        .create_session(new_session("h-mine", user.id, T0))
        .await
        .unwrap();
    store
        .create_session(new_session("h-theirs", other.id, T0))
        .await
        .unwrap();

    let (session, owner) = store.find_session("h-mine").await.unwrap().unwrap();
    assert_eq!(session, created);
    assert_eq!(owner, store.get_user(user.id).await.unwrap());
    let (_, owner) = store.find_session("h-theirs").await.unwrap().unwrap();
    assert_eq!(owner.id, other.id);
}

pub async fn find_unknown_session_is_none<S: ConformanceStore>(store: S) {
    assert!(store.find_session("no-such-hash").await.unwrap().is_none());
}

pub async fn touch_session_moves_only_last_seen<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let created = store
        .create_session(new_session("h-1", user.id, T0))
        .await
        .unwrap();
    store.touch_session("h-1", at(7)).await.unwrap();
    let (touched, _) = store.find_session("h-1").await.unwrap().unwrap();
    assert_eq!(touched.last_seen_at, at(7));
    assert_eq!(
        (touched.created_at, touched.expires_at),
        (created.created_at, created.expires_at)
    );
    store.touch_session("vanished", at(8)).await.unwrap();
}

pub async fn delete_session_is_idempotent<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    store
        .create_session(new_session("h-1", user.id, T0))
        .await
        .unwrap();
    store
        .create_session(new_session("h-2", user.id, T0))
        .await
        .unwrap();
    store.delete_session("h-1").await.unwrap();
    assert!(store.find_session("h-1").await.unwrap().is_none());
    assert!(store.find_session("h-2").await.unwrap().is_some());
    store.delete_session("h-1").await.unwrap();
}

pub async fn delete_user_sessions_counts_only_that_user<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let other = store.create_user(new_user("neighbour")).await.unwrap();
    for id in ["u-1", "u-2", "u-3"] {
        store.create_session(new_session(id, user.id, T0)).await.unwrap();
    }
    store
        .create_session(new_session("o-1", other.id, T0))
        .await
        .unwrap();
    assert_eq!(store.delete_user_sessions(user.id).await.unwrap(), 3);
    assert_eq!(store.delete_user_sessions(user.id).await.unwrap(), 0);
    assert!(store.find_session("o-1").await.unwrap().is_some());
}

/// Expired means `expires_at <= now` (as `SessionPolicy::check` has it); idle means last
/// seen strictly before `idle_before`.
pub async fn delete_stale_sessions_by_idle_and_absolute_expiry<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let now = at(12 * 60);
    let idle_before = now - Duration::minutes(30);
    let sessions = [
        ("fresh", at(11 * 60), now - Duration::minutes(1)),
        ("idle", at(11 * 60), idle_before - Duration::microseconds(1)),
        ("idle-boundary", at(11 * 60), idle_before),
        ("expired", T0, now - Duration::minutes(1)),
        (
            "almost-expired",
            T0 + Duration::microseconds(1),
            now - Duration::minutes(1),
        ),
    ];
    for (id, created, last_seen) in sessions {
        store
            .create_session(new_session(id, user.id, created))
            .await
            .unwrap();
        store.touch_session(id, last_seen).await.unwrap();
    }

    assert_eq!(store.delete_stale_sessions(now, idle_before).await.unwrap(), 2);
    for (id, gone) in [
        ("fresh", false),
        ("idle", true),
        ("idle-boundary", false),
        ("expired", true),
        ("almost-expired", false),
    ] {
        assert_eq!(store.find_session(id).await.unwrap().is_none(), gone, "{id}");
    }
    assert_eq!(store.delete_stale_sessions(now, idle_before).await.unwrap(), 0);
}
