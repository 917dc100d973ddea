//! `GuestTemplateStore`: creating, listing, reading and deleting link templates.

use latchkey_domain::UserId;
use time::macros::datetime;

use super::ConformanceStore;
use super::fixtures::{NOBODY, T0, at, micros, new_guest_link, new_user};
use super::guest_links::owner_with_account;
use crate::{NewGuestTemplate, StoreError};

/// An id no store hands out in a fresh database.
const NO_TEMPLATE: i64 = 987_654_321;

/// A three-hour, two-use template of `owner` created at `T0`.
pub(super) fn new_template(owner: UserId, name: &str) -> NewGuestTemplate {
    NewGuestTemplate {
        owner_id: owner,
        name: name.to_owned(),
        duration_hours: 3,
        max_uses: Some(2),
        now: T0,
    }
}

pub async fn create_guest_template_round_trips_every_field<S: ConformanceStore>(store: S) {
    let owner = store.create_user(new_user("resident")).await.unwrap().id;
    let now = datetime!(2026-03-01 09:30:00.654_321_999 +02:00);
    let template = store
        .create_guest_template(NewGuestTemplate {
            owner_id: owner,
            name: "Ménage — Ωmega 🧹".to_owned(),
            duration_hours: 2160,
            max_uses: Some(1000),
            now,
        })
        .await
        .unwrap();
    assert_eq!(template.owner_id, owner);
    assert_eq!(template.name, "Ménage — Ωmega 🧹");
    assert_eq!((template.duration_hours, template.max_uses), (2160, Some(1000)));
    assert_eq!(template.created_at, micros(now));
    assert_eq!(
        store.get_guest_template(template.id, owner).await.unwrap(),
        template
    );

    let unlimited = store
        .create_guest_template(NewGuestTemplate {
            duration_hours: 1,
            max_uses: None,
            ..new_template(owner, "Open")
        })
        .await
        .unwrap();
    assert_eq!((unlimited.duration_hours, unlimited.max_uses), (1, None));
    assert_eq!(
        store.list_guest_templates(owner).await.unwrap(),
        [template, unlimited]
    );
}

pub async fn create_guest_template_for_unknown_owner_is_not_found<S: ConformanceStore>(store: S) {
    let err = store
        .create_guest_template(new_template(NOBODY, "Cleaner"))
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::NotFound);
    assert!(store.list_guest_templates(NOBODY).await.unwrap().is_empty());
}

pub async fn list_guest_templates_is_ordered_by_id_and_per_owner<S: ConformanceStore>(store: S) {
    let ada = store.create_user(new_user("ada")).await.unwrap().id;
    let bob = store.create_user(new_user("bob")).await.unwrap().id;
    assert!(store.list_guest_templates(ada).await.unwrap().is_empty());
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    // Names out of order and duplicated: the order is by id, names need not be unique.
    for name in ["Zed", "Alpha", "Alpha"] {
        mine.push(
            store
                .create_guest_template(new_template(ada, name))
                .await
                .unwrap(),
        );
        theirs.push(
            store
                .create_guest_template(new_template(bob, name))
                .await
                .unwrap(),
        );
    }
    assert!(mine.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(store.list_guest_templates(ada).await.unwrap(), mine);
    assert_eq!(store.list_guest_templates(bob).await.unwrap(), theirs);
}

pub async fn other_users_and_unknown_templates_are_not_found<S: ConformanceStore>(store: S) {
    let ada = store.create_user(new_user("ada")).await.unwrap().id;
    let bob = store.create_user(new_user("bob")).await.unwrap().id;
    let template = store
        .create_guest_template(new_template(ada, "Cleaner"))
        .await
        .unwrap();
    for (id, owner) in [(template.id, bob), (NO_TEMPLATE, ada), (template.id, NOBODY)] {
        assert_eq!(
            store.get_guest_template(id, owner).await.unwrap_err(),
            StoreError::NotFound
        );
        assert_eq!(
            store.delete_guest_template(id, owner).await.unwrap_err(),
            StoreError::NotFound
        );
    }
    assert_eq!(
        store.get_guest_template(template.id, ada).await.unwrap(),
        template
    );
}

pub async fn delete_guest_template_removes_only_it_and_keeps_links<S: ConformanceStore>(store: S) {
    let (owner, account) = owner_with_account(&store, "resident").await;
    let template = store
        .create_guest_template(new_template(owner, "Cleaner"))
        .await
        .unwrap();
    let kept = store
        .create_guest_template(new_template(owner, "Plumber"))
        .await
        .unwrap();
    // A link made from the template: its values are copied, not referenced.
    let (starts_at, expires_at, max_uses) = store
        .get_guest_template(template.id, owner)
        .await
        .unwrap()
        .expand(at(1));
    let link = store
        .create_guest_link(new_guest_link(
            owner, account, "made", starts_at, expires_at, max_uses,
        ))
        .await
        .unwrap();

    store.delete_guest_template(template.id, owner).await.unwrap();
    assert_eq!(
        store.get_guest_template(template.id, owner).await.unwrap_err(),
        StoreError::NotFound
    );
    assert_eq!(
        store.delete_guest_template(template.id, owner).await.unwrap_err(),
        StoreError::NotFound,
        "deleting twice"
    );
    assert_eq!(store.list_guest_templates(owner).await.unwrap(), [kept]);
    assert_eq!(store.get_guest_link(link.id, owner).await.unwrap(), link);
}
