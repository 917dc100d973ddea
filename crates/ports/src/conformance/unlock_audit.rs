//! `UnlockAuditStore`, and the audit trail outliving what it names.

use latchkey_domain::{IntercomId, RingAccountId, UnlockActor, UnlockEvent, UnlockOutcome, UserId};
use time::OffsetDateTime;
use time::macros::datetime;

use super::ConformanceStore;
use super::fixtures::{NOBODY, T0, at, micros, new_ring_account, new_user};
use crate::{HealthSnapshot, NewUnlockEvent};

/// A guest opening `owner`'s door at `occurred_at`, tagged by `error_code`.
fn guest_event(owner: Option<UserId>, occurred_at: OffsetDateTime, tag: &str) -> NewUnlockEvent {
    NewUnlockEvent {
        occurred_at,
        actor: UnlockActor::Guest { link_id: Some(40) },
        owner_id: owner,
        ring_account_id: None,
        intercom_id: None,
        outcome: UnlockOutcome::Failed,
        error_code: Some(tag.to_owned()),
        ip: None,
        user_agent: None,
    }
}

fn tags(items: &[UnlockEvent]) -> Vec<&str> {
    items
        .iter()
        .map(|e| e.error_code.as_deref().unwrap_or("-"))
        .collect()
}

pub async fn list_unlocks_is_empty_at_first<S: ConformanceStore>(store: S) {
    for filter in [None, Some(NOBODY)] {
        let page = store.list_unlocks(filter, 0, 10).await.unwrap();
        assert!(page.items.is_empty());
        assert_eq!(page.total, 0);
    }
}

pub async fn record_unlock_round_trips_both_kinds_of_actor<S: ConformanceStore>(store: S) {
    let by_user = NewUnlockEvent {
        occurred_at: datetime!(2026-03-01 09:30:00.654_321_999 +02:00),
        actor: UnlockActor::User(UserId(3)),
        owner_id: Some(UserId(4)),
        ring_account_id: Some(RingAccountId(5)),
        intercom_id: Some(IntercomId(i64::MAX)),
        outcome: UnlockOutcome::Opened,
        error_code: None,
        ip: Some("2001:db8::7".to_owned()),
        user_agent: Some("Mozilla/5.0 ünïcode 🗝".to_owned()),
    };
    let by_guest = NewUnlockEvent {
        outcome: UnlockOutcome::Unknown,
        ..guest_event(None, at(1), "ring_timeout")
    };
    store.record_unlock(by_user.clone()).await.unwrap();
    store.record_unlock(by_guest.clone()).await.unwrap();

    let page = store.list_unlocks(None, 0, 10).await.unwrap();
    assert_eq!(page.total, 2);
    let [guest, user] = &page.items[..] else {
        panic!("two events expected: {:?}", page.items);
    };
    assert_eq!(user.occurred_at, micros(by_user.occurred_at));
    assert_eq!(user.actor, by_user.actor);
    assert_eq!(
        (user.owner_id, user.ring_account_id, user.intercom_id),
        (by_user.owner_id, by_user.ring_account_id, by_user.intercom_id)
    );
    assert_eq!((user.outcome, &user.error_code), (UnlockOutcome::Opened, &None));
    assert_eq!((&user.ip, &user.user_agent), (&by_user.ip, &by_user.user_agent));

    assert_eq!(guest.actor, UnlockActor::Guest { link_id: Some(40) });
    assert_eq!(
        (guest.owner_id, guest.ring_account_id, guest.intercom_id),
        (None, None, None)
    );
    assert_eq!(guest.outcome, UnlockOutcome::Unknown);
    assert_eq!(guest.error_code.as_deref(), Some("ring_timeout"));
    assert_ne!(guest.id, user.id);

    // An unknown token or a rate-limited request names no link.
    let anonymous = NewUnlockEvent {
        actor: UnlockActor::Guest { link_id: None },
        ..guest_event(None, at(2), "not_found")
    };
    store.record_unlock(anonymous).await.unwrap();
    let newest = store.list_unlocks(None, 0, 1).await.unwrap();
    assert_eq!(newest.items[0].actor, UnlockActor::Guest { link_id: None });
    assert_eq!(newest.items[0].error_code.as_deref(), Some("not_found"));
}

pub async fn list_unlocks_pages_newest_first_with_total<S: ConformanceStore>(store: S) {
    // Recorded out of time order; two share a timestamp (the later recorded is newer).
    for (minute, tag) in [(2, "b"), (5, "e"), (3, "c"), (1, "a"), (4, "d1"), (4, "d2")] {
        store
            .record_unlock(guest_event(None, at(minute), tag))
            .await
            .unwrap();
    }
    let first = store.list_unlocks(None, 0, 2).await.unwrap();
    assert_eq!((tags(&first.items), first.total), (vec!["e", "d2"], 6));
    let second = store.list_unlocks(None, 2, 2).await.unwrap();
    assert_eq!((tags(&second.items), second.total), (vec!["d1", "c"], 6));
    let rest = store.list_unlocks(None, 4, 100).await.unwrap();
    assert_eq!(tags(&rest.items), ["b", "a"]);
    let past_the_end = store.list_unlocks(None, 6, 10).await.unwrap();
    assert!(past_the_end.items.is_empty());
    assert_eq!(past_the_end.total, 6);
    assert!(store.list_unlocks(None, 0, 0).await.unwrap().items.is_empty());
    assert_eq!(
        store.list_unlocks(None, 0, u64::MAX).await.unwrap().items.len(),
        6
    );
}

/// `user_id` keeps events the user owns or performed, on someone else's door too.
pub async fn list_unlocks_for_a_user_matches_owner_or_actor<S: ConformanceStore>(store: S) {
    let (ada, bob) = (UserId(1), UserId(2));
    let acted = |by: UserId, owner: Option<UserId>, minute: i64, tag: &str| NewUnlockEvent {
        actor: UnlockActor::User(by),
        ..guest_event(owner, at(minute), tag)
    };
    let events = [
        guest_event(Some(ada), at(1), "guest-at-ada"),
        acted(ada, Some(ada), 2, "ada-at-ada"),
        acted(ada, Some(bob), 3, "ada-at-bob"),
        acted(bob, Some(bob), 4, "bob-at-bob"),
        guest_event(Some(bob), at(5), "guest-at-bob"),
        acted(bob, Some(ada), 6, "bob-at-ada"),
        guest_event(None, at(7), "guest-nowhere"),
    ];
    for event in events {
        store.record_unlock(event).await.unwrap();
    }

    let adas = store.list_unlocks(Some(ada), 0, 10).await.unwrap();
    assert_eq!(
        (tags(&adas.items), adas.total),
        (vec!["bob-at-ada", "ada-at-bob", "ada-at-ada", "guest-at-ada"], 4)
    );
    let bobs = store.list_unlocks(Some(bob), 1, 2).await.unwrap();
    assert_eq!(
        (tags(&bobs.items), bobs.total),
        (vec!["guest-at-bob", "bob-at-bob"], 4)
    );
    assert_eq!(store.list_unlocks(None, 0, 10).await.unwrap().total, 7);
    assert_eq!(store.list_unlocks(Some(NOBODY), 0, 10).await.unwrap().total, 0);
}

/// Deleting a user cascades to their Ring accounts (and those to their health history),
/// but the unlock audit keeps every id, and still records events naming them.
pub async fn unlock_audit_outlives_deleted_users_and_accounts<S: ConformanceStore>(store: S) {
    let owner = store.create_user(new_user("owner")).await.unwrap();
    let account = store
        .create_ring_account(new_ring_account(owner.id, "Home", T0))
        .await
        .unwrap();
    let snapshot = HealthSnapshot {
        ring_account_id: account.id,
        intercom_id: IntercomId(77),
        taken_at: at(1),
        online: Some(true),
        battery_percent: Some(80),
        signal_dbm: None,
        firmware: None,
    };
    store.record_health(snapshot).await.unwrap();
    let event = |minute: i64, tag: &str| NewUnlockEvent {
        actor: UnlockActor::User(owner.id),
        ring_account_id: Some(account.id),
        intercom_id: Some(IntercomId(77)),
        ..guest_event(Some(owner.id), at(minute), tag)
    };
    store.record_unlock(event(2, "before")).await.unwrap();

    store.delete_user(owner.id).await.unwrap();
    assert!(store.list_all_ring_accounts().await.unwrap().is_empty());
    assert!(store.list_ring_accounts(owner.id).await.unwrap().is_empty());
    let history = store
        .health_history(account.id, IntercomId(77), 10)
        .await
        .unwrap();
    assert!(history.is_empty(), "health history went with the account");

    store.record_unlock(event(3, "after")).await.unwrap();
    let page = store.list_unlocks(Some(owner.id), 0, 10).await.unwrap();
    assert_eq!((tags(&page.items), page.total), (vec!["after", "before"], 2));
    for kept in &page.items {
        assert_eq!(kept.actor, UnlockActor::User(owner.id));
        assert_eq!(
            (kept.owner_id, kept.ring_account_id),
            (Some(owner.id), Some(account.id))
        );
    }
}
