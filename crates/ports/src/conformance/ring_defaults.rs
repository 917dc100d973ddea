//! `RingAccountStore`: which account is the user's default, through updates, deletes and
//! concurrent calls. A user with live accounts has exactly one default.

use std::sync::Arc;

use latchkey_domain::{RingAccountId, RingLinkStatus, UserId};

use super::ConformanceStore;
use super::fixtures::{T0, at, label, new_ring_account, new_user, sealed};

/// The ids of the user's live accounts flagged default.
async fn defaults<S: ConformanceStore>(store: &S, user: UserId) -> Vec<RingAccountId> {
    let accounts = store.list_ring_accounts(user).await.unwrap();
    accounts
        .into_iter()
        .filter(|a| a.is_default)
        .map(|a| a.id)
        .collect()
}

/// Creates the named accounts of a fresh user at `T0`, `T0 + 1 min`, ...; returns
/// the user and the account ids in creation order.
async fn user_with_accounts<S: ConformanceStore>(store: &S, names: &[&str]) -> (UserId, Vec<RingAccountId>) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let mut ids = Vec::new();
    for (minute, name) in (0..).zip(names) {
        let account = new_ring_account(user.id, name, at(minute));
        ids.push(store.create_ring_account(account).await.unwrap().id);
    }
    (user.id, ids)
}

pub async fn update_ring_account_renames_without_touching_the_default<S: ConformanceStore>(store: S) {
    let (user, ids) = user_with_accounts(&store, &["Home", "Office"]).await;
    for (id, was_default) in [(ids[0], true), (ids[1], false)] {
        let before = store.get_ring_account(id, user).await.unwrap();
        let renamed = store
            .update_ring_account(id, user, Some(label(" Renamed ")), false, at(10))
            .await
            .unwrap();
        assert_eq!(renamed.label.as_str(), "Renamed");
        assert_eq!(
            renamed.is_default, was_default,
            "make_default = false leaves the flag"
        );
        assert_eq!(
            (renamed.created_at, renamed.updated_at),
            (before.created_at, at(10))
        );
        assert_eq!(
            (renamed.hardware_id, renamed.status),
            (before.hardware_id, before.status)
        );
        assert_eq!(
            store.get_ring_account(id, user).await.unwrap().label.as_str(),
            "Renamed"
        );
    }
    // Neither a label nor the flag: a no-op apart from `updated_at`.
    let same = store
        .update_ring_account(ids[1], user, None, false, at(11))
        .await
        .unwrap();
    assert_eq!((same.label.as_str(), same.is_default), ("Renamed", false));
    assert_eq!(defaults(&store, user).await, [ids[0]]);
}

pub async fn update_ring_account_make_default_moves_the_flag<S: ConformanceStore>(store: S) {
    let (user, ids) = user_with_accounts(&store, &["Home", "Office", "Cellar"]).await;
    let other = store.create_user(new_user("neighbour")).await.unwrap();
    let theirs = store
        .create_ring_account(new_ring_account(other.id, "Theirs", T0))
        .await
        .unwrap();

    let made = store
        .update_ring_account(ids[2], user, None, true, at(10))
        .await
        .unwrap();
    assert!(made.is_default);
    assert_eq!(made.label.as_str(), "Cellar");
    assert_eq!(defaults(&store, user).await, [ids[2]]);

    let both = store
        .update_ring_account(ids[1], user, Some(label("Work")), true, at(11))
        .await
        .unwrap();
    assert_eq!((both.label.as_str(), both.is_default), ("Work", true));
    assert_eq!(defaults(&store, user).await, [ids[1]]);

    // Already the default: stays the only one.
    store
        .update_ring_account(ids[1], user, None, true, at(12))
        .await
        .unwrap();
    assert_eq!(defaults(&store, user).await, [ids[1]]);
    assert_eq!(
        defaults(&store, other.id).await,
        [theirs.id],
        "other users are untouched"
    );
}

/// Every account of one user is made the default at once, round after round. Each call
/// succeeds and exactly one default remains (the last writer's).
pub async fn concurrent_make_default_calls_leave_exactly_one_default<S: ConformanceStore>(store: S) {
    let store = Arc::new(store);
    let (user, ids) = user_with_accounts(&*store, &["Home", "Office", "Cellar"]).await;
    for round in 0..10 {
        let tasks: Vec<_> = ids
            .iter()
            .map(|&id| {
                let store = Arc::clone(&store);
                tokio::spawn(async move { store.update_ring_account(id, user, None, true, at(round)).await })
            })
            .collect();
        for task in tasks {
            assert!(task.await.unwrap().unwrap().is_default);
        }
        let now = defaults(&*store, user).await;
        assert_eq!(now.len(), 1, "round {round}: {now:?}");
    }
}

/// A fresh user's accounts created at once: exactly one becomes the default.
pub async fn concurrent_creates_make_exactly_one_default<S: ConformanceStore>(store: S) {
    let store = Arc::new(store);
    let user = store.create_user(new_user("resident")).await.unwrap();
    let tasks: Vec<_> = ["A", "B", "C", "D"]
        .into_iter()
        .map(|name| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .create_ring_account(new_ring_account(user.id, name, T0))
                    .await
            })
        })
        .collect();
    let mut flagged = 0;
    for task in tasks {
        flagged += usize::from(task.await.unwrap().unwrap().is_default);
    }
    assert_eq!(flagged, 1, "exactly one create saw no other live account");
    assert_eq!(defaults(&*store, user.id).await.len(), 1);
}

/// Deleting the default promotes the oldest remaining account: the earliest created,
/// not the lowest id.
pub async fn delete_ring_account_of_the_default_promotes_the_oldest<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let mut ids = Vec::new();
    for (name, minute) in [("Home", 0), ("Newest", 5), ("Older", 2)] {
        let account = new_ring_account(user.id, name, at(minute));
        ids.push(store.create_ring_account(account).await.unwrap().id);
    }
    store
        .save_ring_token(ids[0], sealed(1), RingLinkStatus::Linked, at(6))
        .await
        .unwrap();

    store.delete_ring_account(ids[0], user.id, at(10)).await.unwrap();
    assert_eq!(defaults(&store, user.id).await, [ids[2]], "created at T0 + 2 min");
    let heir = store.get_ring_account(ids[2], user.id).await.unwrap();
    assert_eq!(heir.updated_at, at(10));

    store.delete_ring_account(ids[2], user.id, at(11)).await.unwrap();
    assert_eq!(defaults(&store, user.id).await, [ids[1]]);
}

pub async fn delete_ring_account_of_a_non_default_keeps_the_default<S: ConformanceStore>(store: S) {
    let (user, ids) = user_with_accounts(&store, &["Home", "Office", "Cellar"]).await;
    store
        .update_ring_account(ids[2], user, None, true, at(5))
        .await
        .unwrap();
    store.delete_ring_account(ids[0], user, at(6)).await.unwrap();
    assert_eq!(defaults(&store, user).await, [ids[2]]);
    let left: Vec<_> = store
        .list_ring_accounts(user)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(left, [ids[1], ids[2]]);
}

/// Deleting every account leaves none; the next one created is the default again,
/// since deleted accounts do not count.
pub async fn deleting_the_last_account_makes_the_next_one_default<S: ConformanceStore>(store: S) {
    let (user, ids) = user_with_accounts(&store, &["Home", "Office"]).await;
    store.delete_ring_account(ids[0], user, at(5)).await.unwrap();
    store.delete_ring_account(ids[1], user, at(6)).await.unwrap();
    assert!(store.list_ring_accounts(user).await.unwrap().is_empty());

    let fresh = store
        .create_ring_account(new_ring_account(user, "Again", at(7)))
        .await
        .unwrap();
    assert!(fresh.is_default);
    assert_eq!(defaults(&store, user).await, [fresh.id]);
}
