//! `RingAuthAttemptStore`: pending two-factor logins and the count of codes requested.

use latchkey_domain::UserId;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::ConformanceStore;
use super::fixtures::{NOBODY, T0, at, label, micros, new_ring_account, new_user, sealed};
use crate::{NewRingAuthAttempt, StoreError};

/// An attempt of `user` created at `created`, living ten minutes.
fn attempt(user: UserId, created: OffsetDateTime) -> NewRingAuthAttempt {
    NewRingAuthAttempt {
        user_id: user,
        ring_account_id: None,
        account_label: None,
        hardware_id: "hw-pending".to_owned(),
        sealed_credentials: sealed(9),
        prompt: "Enter the code sent to ***@example.com".to_owned(),
        created_at: created,
        expires_at: created + Duration::minutes(10),
    }
}

pub async fn create_ring_auth_attempt_round_trips_every_field<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let account = store
        .create_ring_account(new_ring_account(user.id, "Home", T0))
        .await
        .unwrap();
    let created = datetime!(2026-03-01 09:30:00.654_321_999 +02:00);
    let relink = NewRingAuthAttempt {
        ring_account_id: Some(account.id),
        account_label: Some(label(" Home ")),
        prompt: "Code envoyé à ***@exemple.fr".to_owned(),
        ..attempt(user.id, created)
    };
    let stored = store.create_ring_auth_attempt(relink.clone()).await.unwrap();
    assert_eq!(stored.user_id, user.id);
    assert_eq!(stored.ring_account_id, Some(account.id));
    assert_eq!(stored.account_label.as_ref().map(|l| l.as_str()), Some("Home"));
    assert_eq!(stored.hardware_id, relink.hardware_id);
    assert_eq!(stored.sealed_credentials, sealed(9), "byte-exact");
    assert_eq!(stored.prompt, relink.prompt);
    assert_eq!(
        (stored.created_at, stored.expires_at),
        (micros(created), micros(relink.expires_at))
    );
    let found = store
        .find_ring_auth_attempt(stored.id, user.id, created)
        .await
        .unwrap();
    assert_eq!(found.as_ref(), Some(&stored));

    let fresh = store
        .create_ring_auth_attempt(attempt(user.id, T0))
        .await
        .unwrap();
    assert_ne!(fresh.id, stored.id);
    assert_eq!((fresh.ring_account_id, fresh.account_label), (None, None));
}

pub async fn create_ring_auth_attempt_for_unknown_user_is_not_found<S: ConformanceStore>(store: S) {
    let err = store
        .create_ring_auth_attempt(attempt(NOBODY, T0))
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::NotFound);
}

/// Usable strictly before `expires_at`; at it or after, and for anyone but its user,
/// it is `None`.
pub async fn find_ring_auth_attempt_is_none_once_expired_or_for_another_user<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let other = store.create_user(new_user("neighbour")).await.unwrap();
    let stored = store
        .create_ring_auth_attempt(attempt(user.id, T0))
        .await
        .unwrap();
    let expires = stored.expires_at;
    let just_before = expires - Duration::microseconds(1);

    let find = |who: UserId, now: OffsetDateTime| store.find_ring_auth_attempt(stored.id, who, now);
    assert!(find(user.id, just_before).await.unwrap().is_some());
    assert!(find(user.id, expires).await.unwrap().is_none());
    assert!(find(user.id, at(60)).await.unwrap().is_none());
    assert!(find(other.id, T0).await.unwrap().is_none());
    let unknown = store.find_ring_auth_attempt(stored.id + 1_000, user.id, T0).await;
    assert_eq!(unknown, Ok(None));
}

pub async fn delete_ring_auth_attempt_is_idempotent<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let gone = store
        .create_ring_auth_attempt(attempt(user.id, T0))
        .await
        .unwrap();
    let kept = store
        .create_ring_auth_attempt(attempt(user.id, T0))
        .await
        .unwrap();
    store.delete_ring_auth_attempt(gone.id).await.unwrap();
    assert!(
        store
            .find_ring_auth_attempt(gone.id, user.id, T0)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .find_ring_auth_attempt(kept.id, user.id, T0)
            .await
            .unwrap()
            .is_some()
    );
    store.delete_ring_auth_attempt(gone.id).await.unwrap();
}

/// Expired at `now` is `expires_at <= now`, the same boundary `find` uses.
pub async fn delete_expired_ring_auth_attempts_counts_only_expired<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let now = at(30);
    let mut ids = Vec::new();
    // Expiring 10 minutes after creation: before now, exactly now, a microsecond later.
    for created in [at(0), at(20), at(20) + Duration::microseconds(1)] {
        ids.push(
            store
                .create_ring_auth_attempt(attempt(user.id, created))
                .await
                .unwrap()
                .id,
        );
    }
    assert_eq!(store.delete_expired_ring_auth_attempts(now).await.unwrap(), 2);
    // Looked up at T0, before any of them expires: only deletion can hide one.
    for (id, gone) in [(ids[0], true), (ids[1], true), (ids[2], false)] {
        let found = store.find_ring_auth_attempt(id, user.id, T0).await.unwrap();
        assert_eq!(found.is_none(), gone, "attempt {id}");
    }
    assert_eq!(store.delete_expired_ring_auth_attempts(now).await.unwrap(), 0);
}

/// Counted per `(user, email hash)`, from `since` inclusive.
pub async fn count_code_requests_counts_from_since_per_user_and_email<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let other = store.create_user(new_user("neighbour")).await.unwrap();
    assert_eq!(store.count_code_requests(user.id, "h1", T0).await.unwrap(), 0);
    for minute in [0, 4, 5, 9] {
        store
            .record_code_request(user.id, "h1", at(minute))
            .await
            .unwrap();
    }
    store.record_code_request(user.id, "h2", at(6)).await.unwrap();
    store.record_code_request(other.id, "h1", at(6)).await.unwrap();

    assert_eq!(store.count_code_requests(user.id, "h1", T0).await.unwrap(), 4);
    assert_eq!(store.count_code_requests(user.id, "h1", at(5)).await.unwrap(), 2);
    let just_after = at(5) + Duration::microseconds(1);
    assert_eq!(
        store
            .count_code_requests(user.id, "h1", just_after)
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.count_code_requests(user.id, "h2", T0).await.unwrap(), 1);
    assert_eq!(store.count_code_requests(other.id, "h1", T0).await.unwrap(), 1);
    assert_eq!(store.count_code_requests(user.id, "h1", at(10)).await.unwrap(), 0);
}
