//! `GuestLinkStore`: taking a use of a link (`reserve_guest_use`) and giving it back
//! (`release_guest_use`), alone and under concurrent calls.

use std::sync::Arc;

use latchkey_domain::{GuestLink, GuestLinkId, RingLinkStatus};
use time::Duration;
use time::macros::datetime;
use tokio::sync::Barrier;

use super::ConformanceStore;
use super::fixtures::{T0, at, guest_at, new_guest_link, new_ring_account, sealed, token_hash};
use super::guest_links::owner_with_account;
use super::pending_unlocks::all_events;
use crate::Reservation;

/// The link of a `Reserved` outcome (checking it came with its own account); panics on
/// anything else.
fn reserved(outcome: Reservation) -> GuestLink {
    match outcome {
        Reservation::Reserved { link, account, .. } => {
            assert_eq!(
                (account.id, account.user_id),
                (link.ring_account_id, link.owner_id)
            );
            link
        }
        other => panic!("expected Reserved, got {other:?}"),
    }
}

/// The link of a `Refused` outcome; panics on anything else.
fn refused(outcome: Reservation) -> GuestLink {
    match outcome {
        Reservation::Refused(link) => link,
        other => panic!("expected Refused, got {other:?}"),
    }
}

pub async fn reserve_guest_use_window_is_start_inclusive_end_exclusive<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let link = store
        .create_guest_link(new_guest_link(owner, account, "window", at(10), at(70), None))
        .await
        .unwrap();
    let hash = token_hash("window");
    let micro = Duration::microseconds(1);

    let pending = refused(
        store
            .reserve_guest_use(&hash, &guest_at(at(10) - micro))
            .await
            .unwrap(),
    );
    assert_eq!(pending, link, "a pending link is refused and unchanged");
    let first = reserved(store.reserve_guest_use(&hash, &guest_at(at(10))).await.unwrap());
    assert_eq!(
        first,
        GuestLink {
            uses: 1,
            ..link.clone()
        },
        "starts_at itself is inside"
    );
    let last = reserved(
        store
            .reserve_guest_use(&hash, &guest_at(at(70) - micro))
            .await
            .unwrap(),
    );
    assert_eq!(last.uses, 2);
    let expired = refused(store.reserve_guest_use(&hash, &guest_at(at(70))).await.unwrap());
    assert_eq!(
        expired,
        GuestLink {
            uses: 2,
            ..link.clone()
        },
        "expires_at is outside"
    );
    assert_eq!(store.get_guest_link(link.id, owner).await.unwrap().uses, 2);

    // Whole seconds: a store keeping text timestamps writes them without a fraction,
    // and the boundaries must hold all the same.
    let (start, end) = (datetime!(2026-03-01 09:00 UTC), datetime!(2026-03-01 10:00 UTC));
    store
        .create_guest_link(new_guest_link(owner, account, "whole", start, end, None))
        .await
        .unwrap();
    let hash = token_hash("whole");
    for (now, usable) in [
        (start - micro, false),
        (start, true),
        (end - micro, true),
        (end, false),
    ] {
        let outcome = store.reserve_guest_use(&hash, &guest_at(now)).await.unwrap();
        assert_eq!(
            matches!(outcome, Reservation::Reserved { .. }),
            usable,
            "at {now}"
        );
    }
}

pub async fn reserve_guest_use_refuses_used_up_links<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let link = store
        .create_guest_link(new_guest_link(owner, account, "three", T0, at(60), Some(3)))
        .await
        .unwrap();
    let other = store
        .create_guest_link(new_guest_link(owner, account, "other", T0, at(60), Some(1)))
        .await
        .unwrap();
    for n in 1..=3 {
        let now = at(i64::from(n));
        let got = reserved(
            store
                .reserve_guest_use(&token_hash("three"), &guest_at(now))
                .await
                .unwrap(),
        );
        assert_eq!((got.uses, got.max_uses, got.disabled), (n, Some(3), false));
    }
    for _ in 0..2 {
        let got = refused(
            store
                .reserve_guest_use(&token_hash("three"), &guest_at(at(5)))
                .await
                .unwrap(),
        );
        assert_eq!((got.uses, got.disabled), (3, false));
    }
    assert_eq!(store.get_guest_link(link.id, owner).await.unwrap().uses, 3);
    assert_eq!(
        store.get_guest_link(other.id, owner).await.unwrap().uses,
        0,
        "other links are untouched"
    );
}

pub async fn unlimited_links_are_never_used_up<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let link = store
        .create_guest_link(new_guest_link(owner, account, "open", T0, at(60), None))
        .await
        .unwrap();
    // Past the largest limit a link may have (1000) would take too long; 1001 is
    // not the point, "no limit is not a limit of zero" is.
    for n in 1..=25 {
        let got = reserved(
            store
                .reserve_guest_use(&token_hash("open"), &guest_at(at(1)))
                .await
                .unwrap(),
        );
        assert_eq!((got.uses, got.max_uses), (n, None));
    }
    assert_eq!(store.get_guest_link(link.id, owner).await.unwrap().uses, 25);
}

pub async fn reserve_unknown_token_is_unknown<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    store
        .create_guest_link(new_guest_link(owner, account, "known", T0, at(60), None))
        .await
        .unwrap();
    assert_eq!(
        store
            .reserve_guest_use(&token_hash("unknown"), &guest_at(at(1)))
            .await
            .unwrap(),
        Reservation::Unknown
    );
}

pub async fn release_guest_use_gives_back_one_use_and_never_goes_below_zero<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let link = store
        .create_guest_link(new_guest_link(owner, account, "once", T0, at(60), Some(1)))
        .await
        .unwrap();
    let hash = token_hash("once");
    reserved(store.reserve_guest_use(&hash, &guest_at(at(1))).await.unwrap());
    refused(store.reserve_guest_use(&hash, &guest_at(at(2))).await.unwrap());
    store.release_guest_use(link.id).await.unwrap();
    assert_eq!(store.get_guest_link(link.id, owner).await.unwrap().uses, 0);
    assert_eq!(
        reserved(store.reserve_guest_use(&hash, &guest_at(at(3))).await.unwrap()).uses,
        1
    );

    for _ in 0..3 {
        store.release_guest_use(link.id).await.unwrap();
    }
    assert_eq!(
        store.get_guest_link(link.id, owner).await.unwrap(),
        link,
        "uses stops at zero and nothing else changed"
    );
    store
        .release_guest_use(GuestLinkId(987_654_321))
        .await
        .expect("an unknown link is not an error");
}

/// 101 callers race for the 5 uses of one link: exactly 5 win, each with its own count
/// and its own audit row.
pub async fn concurrent_reservations_take_exactly_the_uses_left<S: ConformanceStore>(store: S) {
    const CALLERS: usize = 101;
    let store = Arc::new(store);
    let (owner, account) = owner_with_account(&*store, "resident").await;
    let link = store
        .create_guest_link(new_guest_link(owner, account, "crowd", T0, at(60), Some(5)))
        .await
        .unwrap();
    let barrier = Arc::new(Barrier::new(CALLERS));
    let tasks: Vec<_> = (0..CALLERS)
        .map(|_| {
            let (store, barrier) = (Arc::clone(&store), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                store
                    .reserve_guest_use(&token_hash("crowd"), &guest_at(at(1)))
                    .await
            })
        })
        .collect();
    let (mut counts, mut pending) = (Vec::new(), Vec::new());
    let mut refusals = 0;
    for task in tasks {
        match task.await.unwrap().unwrap() {
            Reservation::Reserved { link, pending: p, .. } => {
                counts.push(link.uses);
                pending.push(p.0);
            }
            Reservation::Refused(l) => {
                assert_eq!((l.uses, l.disabled), (5, false));
                refusals += 1;
            }
            Reservation::Unknown => panic!("the link exists"),
        }
    }
    counts.sort_unstable();
    assert_eq!(counts, [1, 2, 3, 4, 5], "each winner saw its own use");
    assert_eq!(refusals, CALLERS - 5);
    assert_eq!(store.get_guest_link(link.id, owner).await.unwrap().uses, 5);
    // One audit row per use taken, each winner its own, and none for the refusals.
    pending.sort_unstable();
    let mut rows: Vec<i64> = all_events(&*store).await.iter().map(|e| e.id).collect();
    rows.sort_unstable();
    assert_eq!(rows, pending);
}

/// Two callers race for the last use, round after round: never both win.
pub async fn one_use_left_is_never_taken_twice<S: ConformanceStore>(store: S) {
    let store = Arc::new(store);
    let (owner, account) = owner_with_account(&*store, "resident").await;
    for round in 0..1_000 {
        let tag = format!("round{round}");
        let link = store
            .create_guest_link(new_guest_link(owner, account, &tag, T0, at(60), Some(1)))
            .await
            .unwrap();
        let barrier = Arc::new(Barrier::new(2));
        let tasks: Vec<_> = (0..2)
            .map(|_| {
                let (store, barrier, hash) = (Arc::clone(&store), Arc::clone(&barrier), token_hash(&tag));
                tokio::spawn(async move {
                    barrier.wait().await;
                    store.reserve_guest_use(&hash, &guest_at(at(1))).await
                })
            })
            .collect();
        let mut wins = 0;
        for task in tasks {
            if let Reservation::Reserved { .. } = task.await.unwrap().unwrap() {
                wins += 1;
            }
        }
        assert_eq!(wins, 1, "round {round}");
        assert_eq!(store.get_guest_link(link.id, owner).await.unwrap().uses, 1);
    }
}

/// The reservation brings the link's own account, exactly as `get_ring_account` reads
/// it: not the owner's default, not another owner's, linked state and all.
pub async fn a_reservation_brings_the_links_own_account<S: ConformanceStore>(store: S) {
    let (owner, home) = owner_with_account(&store, "resident").await;
    let (_, elsewhere) = owner_with_account(&store, "neighbour").await;
    let office = store
        .create_ring_account(new_ring_account(owner, "Office", at(2)))
        .await
        .unwrap();
    store
        .save_ring_token(office.id, sealed(7), RingLinkStatus::Linked, at(3))
        .await
        .unwrap();
    for account in [home, office.id] {
        let tag = format!("door{}", account.0);
        store
            .create_guest_link(new_guest_link(owner, account, &tag, T0, at(60), None))
            .await
            .unwrap();
        match store
            .reserve_guest_use(&token_hash(&tag), &guest_at(at(4)))
            .await
            .unwrap()
        {
            Reservation::Reserved {
                link, account: got, ..
            } => {
                assert_eq!(link.ring_account_id, account);
                assert_eq!(got, store.get_ring_account(account, owner).await.unwrap());
                assert_ne!(got.id, elsewhere);
            }
            other => panic!("expected Reserved, got {other:?}"),
        }
    }
}
