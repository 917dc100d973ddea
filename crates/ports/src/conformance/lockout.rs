//! `UserStore::swap_lock_state`: the compare-and-swap behind account lockout.

use std::sync::Arc;

use latchkey_domain::{LockState, LockoutPolicy};

use super::ConformanceStore;
use super::fixtures::{NOBODY, T0, at, micros, new_user};
use crate::StoreError;

pub async fn swap_lock_state_swaps_when_expected_matches<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("locky")).await.unwrap();
    let one = LockState {
        failed_logins: 1,
        locked_until: None,
    };
    let locked = LockState {
        failed_logins: 5,
        locked_until: Some(micros(at(15))),
    };

    assert!(
        store
            .swap_lock_state(user.id, LockState::default(), one)
            .await
            .unwrap()
    );
    assert_eq!(store.get_user(user.id).await.unwrap().lock, one);
    assert!(store.swap_lock_state(user.id, one, locked).await.unwrap());
    assert_eq!(store.get_user(user.id).await.unwrap().lock, locked);
    // A set lock time must compare equal after its round trip through the store.
    assert!(
        store
            .swap_lock_state(user.id, locked, LockState::default())
            .await
            .unwrap()
    );
    assert_eq!(store.get_user(user.id).await.unwrap().lock, LockState::default());
}

pub async fn swap_lock_state_refuses_a_stale_expectation<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("locky")).await.unwrap();
    let actual = LockState {
        failed_logins: 5,
        locked_until: Some(micros(at(15))),
    };
    assert!(
        store
            .swap_lock_state(user.id, LockState::default(), actual)
            .await
            .unwrap()
    );

    let stale = [
        LockState::default(),
        LockState {
            failed_logins: 4,
            locked_until: actual.locked_until,
        },
        LockState {
            failed_logins: 5,
            locked_until: None,
        },
        LockState {
            failed_logins: 5,
            locked_until: Some(micros(at(16))),
        },
    ];
    for expected in stale {
        let swapped = store.swap_lock_state(
            user.id,
            expected,
            LockState {
                failed_logins: 99,
                locked_until: None,
            },
        );
        assert!(!swapped.await.unwrap(), "{expected:?}");
        assert_eq!(store.get_user(user.id).await.unwrap().lock, actual);
    }
}

pub async fn swap_lock_state_of_unknown_user_is_not_found<S: ConformanceStore>(store: S) {
    let one = LockState {
        failed_logins: 1,
        locked_until: None,
    };
    assert_eq!(
        store.swap_lock_state(NOBODY, LockState::default(), one).await,
        Err(StoreError::NotFound)
    );
}

/// Five logins fail at once; each reads the state, computes the next one and swaps it
/// in, retrying when another got there first. Every failure must count exactly once.
pub async fn concurrent_failed_logins_count_exactly_once<S: ConformanceStore>(store: S) {
    let store = Arc::new(store);
    let user = store.create_user(new_user("target")).await.unwrap();
    let policy = LockoutPolicy::default();
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                for _attempt in 0..1_000 {
                    let current = store.get_user(user.id).await.unwrap().lock;
                    let next = policy.after_failure(current, T0);
                    if store.swap_lock_state(user.id, current, next).await.unwrap() {
                        return;
                    }
                    tokio::task::yield_now().await;
                }
                panic!("no swap succeeded in 1000 attempts");
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let lock = store.get_user(user.id).await.unwrap().lock;
    assert_eq!(lock.failed_logins, 5);
    assert_eq!(lock.locked_until, Some(micros(T0 + policy.lock_duration)));
}
