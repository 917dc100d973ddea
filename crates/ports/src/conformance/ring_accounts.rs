//! `RingAccountStore`: creating, reading and listing accounts, and their sealed tokens.
//! Which account is the default is in `ring_defaults`.

use latchkey_domain::{RingAccount, RingAccountId, RingLinkStatus, UserId};
use time::macros::datetime;

use super::ConformanceStore;
use super::fixtures::{NOBODY, T0, at, label, micros, new_ring_account, new_user, sealed};
use crate::{NewRingAccount, StoreError};

/// An id no store hands out in a fresh database.
const NO_ACCOUNT: RingAccountId = RingAccountId(987_654_321);

/// A resident's account linked at `at(1)` with the token `sealed(tag)`.
async fn linked_account<S: ConformanceStore>(store: &S, tag: u8) -> (UserId, RingAccount) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let account = store
        .create_ring_account(new_ring_account(user.id, "Home", T0))
        .await
        .unwrap();
    store
        .save_ring_token(account.id, sealed(tag), RingLinkStatus::Linked, at(1))
        .await
        .unwrap();
    (user.id, account)
}

pub async fn create_ring_account_round_trips_and_only_the_first_is_default<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let now = datetime!(2026-03-01 09:30:00.654_321_999 +02:00);
    let first = store
        .create_ring_account(NewRingAccount {
            user_id: user.id,
            label: label("  Home  "),
            hardware_id: "hw-Ωmega-1".to_owned(),
            now,
        })
        .await
        .unwrap();
    assert_eq!(first.user_id, user.id);
    assert_eq!(first.label.as_str(), "Home");
    assert_eq!(first.hardware_id, "hw-Ωmega-1");
    assert_eq!(first.status, RingLinkStatus::Unlinked);
    assert!(first.is_default, "a user's first account is the default");
    assert_eq!((first.created_at, first.updated_at), (micros(now), micros(now)));
    assert_eq!(store.get_ring_account(first.id, user.id).await.unwrap(), first);

    let second = store
        .create_ring_account(new_ring_account(user.id, "Office", at(1)))
        .await
        .unwrap();
    assert!(!second.is_default, "the user already has a live account");
    assert_ne!(first.id, second.id);
    assert!(
        store
            .get_ring_account(first.id, user.id)
            .await
            .unwrap()
            .is_default
    );
}

pub async fn create_ring_account_for_unknown_user_is_not_found<S: ConformanceStore>(store: S) {
    let err = store
        .create_ring_account(new_ring_account(NOBODY, "Home", T0))
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::NotFound);
    assert!(store.list_all_ring_accounts().await.unwrap().is_empty());
}

pub async fn duplicate_hardware_id_conflicts<S: ConformanceStore>(store: S) {
    let ada = store.create_user(new_user("ada")).await.unwrap();
    let bob = store.create_user(new_user("bob")).await.unwrap();
    let taken = new_ring_account(ada.id, "Home", T0);
    store.create_ring_account(taken.clone()).await.unwrap();
    let again = NewRingAccount {
        user_id: bob.id,
        ..taken
    };
    let err = store.create_ring_account(again).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(store.list_ring_accounts(bob.id).await.unwrap().is_empty());
}

pub async fn list_ring_accounts_lists_live_accounts_of_one_user_by_id<S: ConformanceStore>(store: S) {
    let ada = store.create_user(new_user("ada")).await.unwrap();
    let bob = store.create_user(new_user("bob")).await.unwrap();
    assert!(store.list_ring_accounts(ada.id).await.unwrap().is_empty());
    let mut mine = Vec::new();
    for name in ["Home", "Office", "Cellar"] {
        mine.push(
            store
                .create_ring_account(new_ring_account(ada.id, name, T0))
                .await
                .unwrap(),
        );
        store
            .create_ring_account(new_ring_account(bob.id, name, T0))
            .await
            .unwrap();
    }
    store
        .delete_ring_account(mine[1].id, ada.id, at(1))
        .await
        .unwrap();

    let listed = store.list_ring_accounts(ada.id).await.unwrap();
    assert_eq!(listed, [mine[0].clone(), mine[2].clone()]);
    assert_eq!(store.list_ring_accounts(bob.id).await.unwrap().len(), 3);
    assert!(store.list_ring_accounts(NOBODY).await.unwrap().is_empty());
}

pub async fn list_all_ring_accounts_orders_by_user_then_id<S: ConformanceStore>(store: S) {
    let ada = store.create_user(new_user("ada")).await.unwrap();
    let bob = store.create_user(new_user("bob")).await.unwrap();
    // Created interleaved, so id order alone is not user order.
    let b1 = store
        .create_ring_account(new_ring_account(bob.id, "B1", T0))
        .await
        .unwrap();
    let a1 = store
        .create_ring_account(new_ring_account(ada.id, "A1", T0))
        .await
        .unwrap();
    let b2 = store
        .create_ring_account(new_ring_account(bob.id, "B2", T0))
        .await
        .unwrap();
    let a2 = store
        .create_ring_account(new_ring_account(ada.id, "A2", T0))
        .await
        .unwrap();
    let gone = store
        .create_ring_account(new_ring_account(ada.id, "A3", T0))
        .await
        .unwrap();
    store.delete_ring_account(gone.id, ada.id, at(1)).await.unwrap();

    let all = store.list_all_ring_accounts().await.unwrap();
    let (first, second) = if ada.id < bob.id {
        ([a1, a2], [b1, b2])
    } else {
        ([b1, b2], [a1, a2])
    };
    assert_eq!(all, [first, second].concat());
}

/// Another user's, a deleted and an unknown account all answer NotFound, and refusing
/// changes nothing: callers must not learn which case it was.
pub async fn other_users_deleted_and_unknown_accounts_are_not_found<S: ConformanceStore>(store: S) {
    let ada = store.create_user(new_user("ada")).await.unwrap();
    let bob = store.create_user(new_user("bob")).await.unwrap();
    let adas = store
        .create_ring_account(new_ring_account(ada.id, "Home", T0))
        .await
        .unwrap();
    let deleted = store
        .create_ring_account(new_ring_account(bob.id, "Old", T0))
        .await
        .unwrap();
    let bobs = store
        .create_ring_account(new_ring_account(bob.id, "New", T0))
        .await
        .unwrap();
    store
        .delete_ring_account(deleted.id, bob.id, at(1))
        .await
        .unwrap();

    for (id, user) in [
        (adas.id, bob.id),
        (deleted.id, bob.id),
        (NO_ACCOUNT, bob.id),
        (adas.id, NOBODY),
    ] {
        let renamed = Some(label("Mine now"));
        assert_eq!(store.get_ring_account(id, user).await, Err(StoreError::NotFound));
        assert_eq!(
            store.update_ring_account(id, user, renamed, true, at(2)).await,
            Err(StoreError::NotFound),
            "{id:?} of {user:?}"
        );
        assert_eq!(
            store.delete_ring_account(id, user, at(2)).await,
            Err(StoreError::NotFound)
        );
    }
    assert_eq!(store.get_ring_account(adas.id, ada.id).await.unwrap(), adas);
    let bobs_now = store.get_ring_account(bobs.id, bob.id).await.unwrap();
    assert!(
        bobs_now.is_default,
        "a refused make-default on a deleted account rolled back"
    );
    assert_eq!(bobs_now.label, bobs.label);
}

pub async fn ring_token_is_none_until_saved<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let account = store
        .create_ring_account(new_ring_account(user.id, "Home", T0))
        .await
        .unwrap();
    assert_eq!(store.ring_token(account.id).await, Ok(None));
}

pub async fn save_ring_token_round_trips_bytes_exactly_with_status<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let account = store
        .create_ring_account(new_ring_account(user.id, "Home", T0))
        .await
        .unwrap();

    store
        .save_ring_token(account.id, sealed(1), RingLinkStatus::Linked, at(5))
        .await
        .unwrap();
    assert_eq!(store.ring_token(account.id).await, Ok(Some(sealed(1))));
    let linked = store.get_ring_account(account.id, user.id).await.unwrap();
    assert_eq!(linked.status, RingLinkStatus::Linked);
    assert_eq!(
        (linked.created_at, linked.updated_at),
        (account.created_at, at(5))
    );

    // A refresh replaces the token; a token that only needs relinking is kept as given.
    store
        .save_ring_token(account.id, sealed(2), RingLinkStatus::NeedsRelink, at(6))
        .await
        .unwrap();
    assert_eq!(store.ring_token(account.id).await, Ok(Some(sealed(2))));
    let status = store.get_ring_account(account.id, user.id).await.unwrap().status;
    assert_eq!(status, RingLinkStatus::NeedsRelink);
}

pub async fn set_ring_status_keeps_the_token<S: ConformanceStore>(store: S) {
    let (user, account) = linked_account(&store, 7).await;
    for status in [
        RingLinkStatus::NeedsRelink,
        RingLinkStatus::Unlinked,
        RingLinkStatus::Linked,
    ] {
        store.set_ring_status(account.id, status, at(2)).await.unwrap();
        let now = store.get_ring_account(account.id, user).await.unwrap();
        assert_eq!((now.status, now.updated_at), (status, at(2)));
        assert_eq!(store.ring_token(account.id).await, Ok(Some(sealed(7))));
    }
}

/// A refusal of the old token arriving after a relink leaves the new link alone.
pub async fn mark_needs_relink_if_token_only_marks_the_refused_token<S: ConformanceStore>(store: S) {
    let (user, account) = linked_account(&store, 1).await;
    // Relinked: the stored token is now sealed(2).
    store
        .save_ring_token(account.id, sealed(2), RingLinkStatus::Linked, at(2))
        .await
        .unwrap();
    assert_eq!(
        store
            .mark_needs_relink_if_token(account.id, sealed(1), at(3))
            .await,
        Ok(false)
    );
    let kept = store.get_ring_account(account.id, user).await.unwrap();
    assert_eq!((kept.status, kept.updated_at), (RingLinkStatus::Linked, at(2)));

    assert_eq!(
        store
            .mark_needs_relink_if_token(account.id, sealed(2), at(4))
            .await,
        Ok(true)
    );
    let marked = store.get_ring_account(account.id, user).await.unwrap();
    assert_eq!(
        (marked.status, marked.updated_at),
        (RingLinkStatus::NeedsRelink, at(4))
    );
    assert_eq!(store.ring_token(account.id).await, Ok(Some(sealed(2))));

    store.delete_ring_account(account.id, user, at(5)).await.unwrap();
    for id in [account.id, NO_ACCOUNT] {
        assert_eq!(
            store.mark_needs_relink_if_token(id, sealed(2), at(6)).await,
            Err(StoreError::NotFound)
        );
    }
}

/// The token methods take no user (the poller and the unlock path call them), but a
/// deleted account is as gone for them as for the rest, and its token is erased.
pub async fn token_calls_on_deleted_or_unknown_accounts_are_not_found<S: ConformanceStore>(store: S) {
    let (user, account) = linked_account(&store, 3).await;
    store.delete_ring_account(account.id, user, at(2)).await.unwrap();

    for id in [account.id, NO_ACCOUNT] {
        assert_eq!(store.ring_token(id).await, Err(StoreError::NotFound));
        assert_eq!(
            store
                .save_ring_token(id, sealed(4), RingLinkStatus::Linked, at(3))
                .await,
            Err(StoreError::NotFound)
        );
        assert_eq!(
            store.set_ring_status(id, RingLinkStatus::Linked, at(3)).await,
            Err(StoreError::NotFound)
        );
    }
    assert!(store.list_ring_accounts(user).await.unwrap().is_empty());
}
