//! The audit row `reserve_guest_use` writes with a use, and `settle_unlock`.

use latchkey_domain::{UnlockActor, UnlockEvent, UnlockOutcome};

use super::ConformanceStore;
use super::fixtures::{T0, at, guest_at, micros, new_guest_link, token_hash};
use super::guest_links::owner_with_account;
use crate::{PendingUnlock, Reservation};

pub(super) async fn all_events<S: ConformanceStore>(store: &S) -> Vec<UnlockEvent> {
    let page = store.list_unlocks(None, 0, 1_000).await.unwrap();
    assert_eq!(page.total, page.items.len() as u64, "the totals count every row");
    page.items
}

fn pending_of(outcome: Reservation) -> PendingUnlock {
    match outcome {
        Reservation::Reserved { pending, .. } => pending,
        other => panic!("expected Reserved, got {other:?}"),
    }
}

pub async fn a_reservation_writes_its_audit_row_unknown_and_a_refusal_writes_none<S: ConformanceStore>(
    store: S,
) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let link = store
        .create_guest_link(new_guest_link(owner, account, "once", T0, at(60), Some(1)))
        .await
        .unwrap();
    let attempt = guest_at(at(1));
    let pending = pending_of(
        store
            .reserve_guest_use(&token_hash("once"), &attempt)
            .await
            .unwrap(),
    );

    let events = all_events(&store).await;
    assert_eq!(events.len(), 1, "{events:?}");
    let row = &events[0];
    assert_eq!(row.id, pending.0);
    assert_eq!(
        row.actor,
        UnlockActor::Guest {
            link_id: Some(link.id.0)
        }
    );
    assert_eq!(
        (row.owner_id, row.ring_account_id, row.intercom_id),
        (Some(owner), Some(account), Some(link.intercom_id))
    );
    assert_eq!(
        (row.outcome, row.error_code.as_deref()),
        (UnlockOutcome::Unknown, None)
    );
    assert_eq!(
        (row.ip.as_ref(), row.user_agent.as_ref()),
        (attempt.ip.as_ref(), attempt.user_agent.as_ref())
    );
    assert_eq!(row.occurred_at, micros(attempt.at));

    // Used up, then unknown: nothing taken, nothing written (the caller records those).
    let refused = store
        .reserve_guest_use(&token_hash("once"), &guest_at(at(2)))
        .await
        .unwrap();
    assert!(matches!(refused, Reservation::Refused(_)), "{refused:?}");
    let unknown = store
        .reserve_guest_use(&token_hash("nope"), &guest_at(at(2)))
        .await
        .unwrap();
    assert_eq!(unknown, Reservation::Unknown);
    assert_eq!(all_events(&store).await.len(), 1);
    let page = store.list_unlocks(Some(owner), 0, 10).await.unwrap();
    assert_eq!(
        (page.items.len(), page.total),
        (1, 1),
        "the owner's trail has it too"
    );
}

pub async fn settle_unlock_sets_the_outcome_once<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    store
        .create_guest_link(new_guest_link(owner, account, "open", T0, at(60), None))
        .await
        .unwrap();
    let reserve = |minute| {
        let store = &store;
        async move {
            pending_of(
                store
                    .reserve_guest_use(&token_hash("open"), &guest_at(at(minute)))
                    .await
                    .unwrap(),
            )
        }
    };
    let (opened, failed, lost, left) = (
        reserve(1).await,
        reserve(2).await,
        reserve(3).await,
        reserve(4).await,
    );
    store
        .settle_unlock(opened, UnlockOutcome::Opened, None)
        .await
        .unwrap();
    store
        .settle_unlock(failed, UnlockOutcome::Failed, Some("ring_unavailable".into()))
        .await
        .unwrap();
    store
        .settle_unlock(lost, UnlockOutcome::Unknown, Some("ring_timeout".into()))
        .await
        .unwrap();
    // Settled rows stay as they are: a second settle changes nothing.
    for pending in [opened, failed, lost] {
        store
            .settle_unlock(pending, UnlockOutcome::Failed, Some("late".into()))
            .await
            .unwrap();
    }
    store
        .settle_unlock(PendingUnlock(987_654_321), UnlockOutcome::Opened, None)
        .await
        .expect("a row that is gone is not an error");

    let events = all_events(&store).await;
    let outcome_of = |p: PendingUnlock| {
        let row = events.iter().find(|e| e.id == p.0).unwrap();
        (row.outcome, row.error_code.clone())
    };
    assert_eq!(outcome_of(opened), (UnlockOutcome::Opened, None));
    assert_eq!(
        outcome_of(failed),
        (UnlockOutcome::Failed, Some("ring_unavailable".into()))
    );
    assert_eq!(
        outcome_of(lost),
        (UnlockOutcome::Unknown, Some("ring_timeout".into()))
    );
    assert_eq!(
        outcome_of(left),
        (UnlockOutcome::Unknown, None),
        "never settled: still unknown"
    );
    assert_eq!(events.len(), 4, "settling writes no row");
}
