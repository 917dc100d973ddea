//! `GuestLinkStore`: creating, reading, listing, disabling and extending links, and
//! deleting with the owner. The `disabled` flag every read derives from the link, its
//! owner and its account is in `guest_link_disabled`; taking and giving back uses is in
//! `guest_uses`.

use latchkey_domain::{GuestLink, GuestLinkId, IntercomId, RingAccountId, UserId};
use time::macros::datetime;

use super::ConformanceStore;
use super::fixtures::{
    NOBODY, T0, at, guest_at, micros, new_guest_link, new_ring_account, new_user, sealed, token_hash,
};
use crate::{LinkSlice, NewGuestLink, Reservation, StoreError};

/// An id no store hands out in a fresh database.
const NO_LINK: GuestLinkId = GuestLinkId(987_654_321);

/// A slice big enough for every link a test makes.
pub(super) const ALL: LinkSlice = LinkSlice {
    before: None,
    limit: 1_000,
};

/// A fresh user named `name` with one Ring account.
pub(super) async fn owner_with_account<S: ConformanceStore>(
    store: &S,
    name: &str,
) -> (UserId, RingAccountId) {
    let user = store.create_user(new_user(name)).await.unwrap();
    let account = store
        .create_ring_account(new_ring_account(user.id, "Home", T0))
        .await
        .unwrap();
    (user.id, account.id)
}

/// A link of `owner` open from `T0` for ten hours, without a use limit.
pub(super) async fn open_link<S: ConformanceStore>(
    store: &S,
    owner: UserId,
    account: RingAccountId,
    tag: &str,
) -> GuestLink {
    store
        .create_guest_link(new_guest_link(owner, account, tag, T0, at(600), None))
        .await
        .unwrap()
}

/// The link with the token hash of `tag`, if any.
pub(super) async fn find<S: ConformanceStore>(store: &S, tag: &str) -> Option<GuestLink> {
    store.find_guest_link_by_token(&token_hash(tag)).await.unwrap()
}

pub async fn create_guest_link_round_trips_every_field<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let now = datetime!(2026-03-01 09:30:00.654_321_999 +02:00);
    let starts_at = datetime!(2026-03-02 10:00:00.000_001_500 +01:00);
    let expires_at = datetime!(2026-05-31 09:00:00.999_999_999 UTC);
    let new = NewGuestLink {
        owner_id: owner,
        ring_account_id: account,
        intercom_id: IntercomId(9_007_199_254_740_993),
        label: Some("Plumber — Ωmega 🔧".to_owned()),
        token_hash: token_hash("abc123"),
        sealed_token: sealed(9),
        starts_at,
        expires_at,
        max_uses: Some(1000),
        now,
    };
    let link = store.create_guest_link(new).await.unwrap();
    let expected = GuestLink {
        id: link.id,
        owner_id: owner,
        ring_account_id: account,
        intercom_id: IntercomId(9_007_199_254_740_993),
        label: Some("Plumber — Ωmega 🔧".to_owned()),
        starts_at: micros(starts_at),
        expires_at: micros(expires_at),
        max_uses: Some(1000),
        uses: 0,
        disabled: false,
        created_at: micros(now),
    };
    assert_eq!(link, expected);
    assert_eq!(store.get_guest_link(link.id, owner).await.unwrap(), expected);
    assert_eq!(find(&store, "abc123").await, Some(expected.clone()));
    let listed = store.list_guest_links(owner, ALL).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].link, expected);
    assert_eq!(
        listed[0].sealed_token,
        sealed(9),
        "sealed bytes come back exactly"
    );

    // The optional fields, absent.
    let bare = store
        .create_guest_link(new_guest_link(owner, account, "bare", T0, at(60), None))
        .await
        .unwrap();
    assert_eq!((bare.label, bare.max_uses, bare.uses), (None, None, 0));
    assert_ne!(bare.id, link.id);
}

pub async fn create_guest_link_for_unknown_owner_or_account_is_not_found<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let nobody = new_guest_link(NOBODY, account, "nobody", T0, at(60), None);
    assert_eq!(
        store.create_guest_link(nobody).await.unwrap_err(),
        StoreError::NotFound
    );
    let no_account = new_guest_link(owner, RingAccountId(987_654_321), "noacct", T0, at(60), None);
    assert_eq!(
        store.create_guest_link(no_account).await.unwrap_err(),
        StoreError::NotFound
    );
    assert!(store.list_guest_links(owner, ALL).await.unwrap().is_empty());
    assert_eq!(find(&store, "nobody").await, None);
}

pub async fn duplicate_token_hash_conflicts<S: ConformanceStore>(store: S) {
    let (ada, ada_account) = owner_with_account(&store, "ada").await;
    let (bob, bob_account) = owner_with_account(&store, "bob").await;
    let first = open_link(&store, ada, ada_account, "taken").await;
    let again = new_guest_link(bob, bob_account, "taken", T0, at(60), Some(1));
    let err = store.create_guest_link(again).await.unwrap_err();
    assert_eq!(err, StoreError::Conflict("token_hash".into()));
    assert!(store.list_guest_links(bob, ALL).await.unwrap().is_empty());
    assert_eq!(find(&store, "taken").await, Some(first));
}

pub async fn list_guest_links_is_newest_first_and_per_owner<S: ConformanceStore>(store: S) {
    let (ada, ada_account) = owner_with_account(&store, "ada").await;
    let (bob, bob_account) = owner_with_account(&store, "bob").await;
    assert!(store.list_guest_links(ada, ALL).await.unwrap().is_empty());
    let mut mine = Vec::new();
    let mut theirs = Vec::new();
    for n in 0..3 {
        mine.push(open_link(&store, ada, ada_account, &format!("ada{n}")).await.id);
        theirs.push(open_link(&store, bob, bob_account, &format!("bob{n}")).await.id);
    }
    let ids = |links: Vec<crate::OwnedGuestLink>| links.into_iter().map(|l| l.link.id).collect::<Vec<_>>();
    mine.reverse();
    theirs.reverse();
    assert_eq!(ids(store.list_guest_links(ada, ALL).await.unwrap()), mine);
    assert_eq!(ids(store.list_guest_links(bob, ALL).await.unwrap()), theirs);
    assert!(store.list_guest_links(NOBODY, ALL).await.unwrap().is_empty());
}

pub async fn list_guest_links_pages_by_id_below_the_cursor<S: ConformanceStore>(store: S) {
    let (ada, account) = owner_with_account(&store, "ada").await;
    let mut made = Vec::new();
    for n in 0..5 {
        made.push(open_link(&store, ada, account, &format!("ada{n}")).await.id);
    }
    made.reverse();
    let ids = |links: Vec<crate::OwnedGuestLink>| links.into_iter().map(|l| l.link.id).collect::<Vec<_>>();
    let slice = |before: Option<GuestLinkId>, limit| LinkSlice { before, limit };
    let first = ids(store.list_guest_links(ada, slice(None, 2)).await.unwrap());
    assert_eq!(first, made[..2]);
    let second = ids(store
        .list_guest_links(ada, slice(Some(made[1]), 2))
        .await
        .unwrap());
    assert_eq!(second, made[2..4]);
    let last = ids(store
        .list_guest_links(ada, slice(Some(made[3]), 2))
        .await
        .unwrap());
    assert_eq!(last, made[4..]);
    assert!(
        store
            .list_guest_links(ada, slice(Some(made[4]), 2))
            .await
            .unwrap()
            .is_empty()
    );
    // A cursor that is not one of the owner's ids still bounds by id.
    let above_all = GuestLinkId(made[0].0 + 1_000);
    assert_eq!(
        ids(store
            .list_guest_links(ada, slice(Some(above_all), 10))
            .await
            .unwrap()),
        made
    );
}

pub async fn other_users_and_unknown_links_are_not_found<S: ConformanceStore>(store: S) {
    let (ada, account) = owner_with_account(&store, "ada").await;
    let (bob, _) = owner_with_account(&store, "bob").await;
    let link = open_link(&store, ada, account, "ada").await;
    for (id, owner) in [(link.id, bob), (NO_LINK, ada), (link.id, NOBODY)] {
        assert_eq!(
            store.get_guest_link(id, owner).await.unwrap_err(),
            StoreError::NotFound
        );
        assert_eq!(
            store.disable_guest_link(id, owner, at(1)).await.unwrap_err(),
            StoreError::NotFound
        );
        assert_eq!(
            store
                .set_guest_link_expiry(id, owner, at(900), at(1))
                .await
                .unwrap_err(),
            StoreError::NotFound
        );
    }
    assert_eq!(
        store.get_guest_link(link.id, ada).await.unwrap(),
        link,
        "the owner's link is untouched"
    );
}

pub async fn find_guest_link_by_token_finds_only_that_hash<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let one = open_link(&store, owner, account, "one").await;
    let two = open_link(&store, owner, account, "two").await;
    assert_eq!(find(&store, "one").await, Some(one));
    assert_eq!(find(&store, "two").await, Some(two));
    assert_eq!(find(&store, "three").await, None);
    // The hash is matched exactly, not by case or prefix.
    assert_eq!(find(&store, "ONE").await, None);
    assert!(
        store
            .find_guest_link_by_token(&token_hash("one")[1..])
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.find_guest_link_by_token("").await.unwrap().is_none());
}

pub async fn disable_guest_link_is_idempotent_and_refuses_uses<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let link = store
        .create_guest_link(new_guest_link(owner, account, "0", T0, at(600), Some(3)))
        .await
        .unwrap();
    let other = open_link(&store, owner, account, "other").await;
    store.disable_guest_link(link.id, owner, at(5)).await.unwrap();
    store.disable_guest_link(link.id, owner, at(9)).await.unwrap();
    let got = store.get_guest_link(link.id, owner).await.unwrap();
    assert_eq!(
        got,
        GuestLink {
            disabled: true,
            ..link.clone()
        }
    );
    match store
        .reserve_guest_use(&token_hash("0"), &guest_at(at(10)))
        .await
        .unwrap()
    {
        Reservation::Refused(l) => assert_eq!((l.disabled, l.uses), (true, 0)),
        other => panic!("{other:?}"),
    }
    assert!(!store.get_guest_link(other.id, owner).await.unwrap().disabled);
}

pub async fn set_guest_link_expiry_moves_only_the_expiry<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let link = store
        .create_guest_link(new_guest_link(owner, account, "late", T0, at(60), Some(2)))
        .await
        .unwrap();
    // Expired: refused, then revived by a later expiry.
    assert!(matches!(
        store
            .reserve_guest_use(&token_hash("late"), &guest_at(at(90)))
            .await
            .unwrap(),
        Reservation::Refused(_)
    ));
    let new_expiry = datetime!(2026-03-02 08:00:00.123_456_789 UTC);
    let moved = store
        .set_guest_link_expiry(link.id, owner, new_expiry, at(80))
        .await
        .unwrap();
    let expected = GuestLink {
        expires_at: micros(new_expiry),
        ..link.clone()
    };
    assert_eq!(moved, expected);
    assert_eq!(store.get_guest_link(link.id, owner).await.unwrap(), expected);
    assert!(matches!(
        store
            .reserve_guest_use(&token_hash("late"), &guest_at(at(90)))
            .await
            .unwrap(),
        Reservation::Reserved { .. }
    ));
    // The result carries the effective flag too.
    store.disable_guest_link(link.id, owner, at(91)).await.unwrap();
    let disabled = store
        .set_guest_link_expiry(link.id, owner, at(700), at(92))
        .await
        .unwrap();
    assert_eq!(
        (disabled.disabled, disabled.uses, disabled.expires_at),
        (true, 1, at(700))
    );
}

pub async fn deleting_the_owner_deletes_links_and_templates<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let (other, other_account) = owner_with_account(&store, "neighbour").await;
    let link = open_link(&store, owner, account, "gone").await;
    let kept = open_link(&store, other, other_account, "kept").await;
    store
        .create_guest_template(super::guest_templates::new_template(owner, "Cleaner"))
        .await
        .unwrap();
    store.delete_user(owner).await.unwrap();
    assert_eq!(find(&store, "gone").await, None);
    assert_eq!(
        store
            .reserve_guest_use(&token_hash("gone"), &guest_at(at(1)))
            .await
            .unwrap(),
        Reservation::Unknown
    );
    assert_eq!(
        store.get_guest_link(link.id, owner).await.unwrap_err(),
        StoreError::NotFound
    );
    assert!(store.list_guest_links(owner, ALL).await.unwrap().is_empty());
    assert!(store.list_guest_templates(owner).await.unwrap().is_empty());
    assert_eq!(store.get_guest_link(kept.id, other).await.unwrap(), kept);
}
