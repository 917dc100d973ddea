//! `GuestLinkStore`: the `disabled` flag every read derives from the link, its owner
//! and its Ring account — derived, not stored, and the same in get, list, find and a
//! reservation.

use latchkey_domain::GuestLink;

use super::ConformanceStore;
use super::fixtures::{T0, at, guest_at, new_guest_link, new_ring_account, token_hash};
use super::guest_links::{ALL, find, open_link, owner_with_account};
use crate::{Reservation, StoreError, UserUpdate};

/// `disabled` as get, list, find and a reservation see the owner's only link, whose
/// token hash is that of `tag`. A use taken to find out is given back.
async fn disabled_everywhere<S: ConformanceStore>(store: &S, link: &GuestLink, tag: &str) -> [bool; 4] {
    let got = store.get_guest_link(link.id, link.owner_id).await.unwrap();
    let listed = store.list_guest_links(link.owner_id, ALL).await.unwrap();
    assert_eq!(listed.len(), 1);
    let found = store.find_guest_link_by_token(&token_hash(tag)).await.unwrap();
    let reserved = match store
        .reserve_guest_use(&token_hash(tag), &guest_at(at(1)))
        .await
        .unwrap()
    {
        Reservation::Reserved { link: l, .. } => {
            store.release_guest_use(l.id).await.unwrap();
            l.disabled
        }
        Reservation::Refused(l) => l.disabled,
        Reservation::Unknown => panic!("link {:?} is unknown", link.id),
    };
    [
        got.disabled,
        listed[0].link.disabled,
        found.unwrap().disabled,
        reserved,
    ]
}

pub async fn links_read_disabled_while_the_owner_is_disabled<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let link = store
        .create_guest_link(new_guest_link(owner, account, "link", T0, at(600), Some(5)))
        .await
        .unwrap();
    assert_eq!(disabled_everywhere(&store, &link, "link").await, [false; 4]);
    let set = |disabled| UserUpdate {
        disabled: Some(disabled),
        ..Default::default()
    };
    store.update_user(owner, set(true), at(2)).await.unwrap();
    assert_eq!(disabled_everywhere(&store, &link, "link").await, [true; 4]);
    let extended = store
        .set_guest_link_expiry(link.id, owner, at(700), at(3))
        .await
        .unwrap();
    assert!(extended.disabled);
    assert_eq!(store.get_guest_link(link.id, owner).await.unwrap().uses, 0);
    // Derived, not stored: enabling the owner again brings the link back.
    store.update_user(owner, set(false), at(4)).await.unwrap();
    assert_eq!(disabled_everywhere(&store, &link, "link").await, [false; 4]);
}

pub async fn links_read_disabled_once_the_ring_account_is_deleted<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let other_account = store
        .create_ring_account(new_ring_account(owner, "Office", T0))
        .await
        .unwrap();
    let link = store
        .create_guest_link(new_guest_link(owner, account, "link", T0, at(600), None))
        .await
        .unwrap();
    let kept = open_link(&store, owner, other_account.id, "kept").await;
    store.delete_ring_account(account, owner, at(2)).await.unwrap();
    let got = store.get_guest_link(link.id, owner).await.unwrap();
    assert!(got.disabled && got.uses == 0);
    let listed = store.list_guest_links(owner, ALL).await.unwrap();
    let flags: Vec<_> = listed.iter().map(|l| (l.link.id, l.link.disabled)).collect();
    assert_eq!(flags, [(kept.id, false), (link.id, true)], "newest first");
    assert!(find(&store, "link").await.unwrap().disabled);
    match store
        .reserve_guest_use(&token_hash("link"), &guest_at(at(3)))
        .await
        .unwrap()
    {
        Reservation::Refused(l) => assert_eq!((l.disabled, l.uses), (true, 0)),
        other => panic!("{other:?}"),
    }
    let extended = store
        .set_guest_link_expiry(link.id, owner, at(700), at(4))
        .await
        .unwrap();
    assert!(extended.disabled);
    // A link made on a deleted account (the caller should not) is refused or born
    // disabled; never usable.
    let late = new_guest_link(owner, account, "late", T0, at(60), None);
    match store.create_guest_link(late).await {
        Ok(late) => assert!(late.disabled),
        Err(err) => assert_eq!(err, StoreError::NotFound),
    }
}
