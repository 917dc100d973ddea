//! `LoginAuditStore`.

use latchkey_domain::{LoginOutcome, UserId};
use time::OffsetDateTime;

use super::ConformanceStore;
use super::fixtures::{at, new_user};
use crate::NewLoginAudit;

fn event(username: &str, occurred_at: OffsetDateTime, outcome: LoginOutcome) -> NewLoginAudit {
    NewLoginAudit {
        occurred_at,
        username: username.to_owned(),
        user_id: None,
        outcome,
        ip: None,
        user_agent: None,
    }
}

pub async fn list_logins_is_empty_at_first<S: ConformanceStore>(store: S) {
    let page = store.list_logins(0, 10).await.unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.total, 0);
}

pub async fn list_logins_pages_newest_first_with_total<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("ada")).await.unwrap();
    let full = NewLoginAudit {
        occurred_at: at(3),
        username: "ada".to_owned(),
        user_id: Some(user.id),
        outcome: LoginOutcome::Success,
        ip: Some("2001:db8::7".to_owned()),
        user_agent: Some("Mozilla/5.0 ünïcode".to_owned()),
    };
    // Recorded out of time order; two share a timestamp (the later recorded is newer).
    store
        .record_login(event("b", at(2), LoginOutcome::InvalidCredentials))
        .await
        .unwrap();
    store
        .record_login(event("e", at(5), LoginOutcome::Locked))
        .await
        .unwrap();
    store.record_login(full.clone()).await.unwrap();
    store
        .record_login(event("a", at(1), LoginOutcome::MissingCredentials))
        .await
        .unwrap();
    store
        .record_login(event("d1", at(4), LoginOutcome::Disabled))
        .await
        .unwrap();
    store
        .record_login(event("d2", at(4), LoginOutcome::RateLimited))
        .await
        .unwrap();

    let names = |items: &[latchkey_domain::LoginAuditEvent]| {
        items.iter().map(|e| e.username.clone()).collect::<Vec<_>>()
    };
    let first = store.list_logins(0, 2).await.unwrap();
    assert_eq!(
        (names(&first.items), first.total),
        (vec!["e".to_owned(), "d2".to_owned()], 6)
    );
    let second = store.list_logins(2, 2).await.unwrap();
    assert_eq!(
        (names(&second.items), second.total),
        (vec!["d1".to_owned(), "ada".to_owned()], 6)
    );
    let rest = store.list_logins(4, 100).await.unwrap();
    assert_eq!(names(&rest.items), ["b", "a"]);
    let past_the_end = store.list_logins(6, 10).await.unwrap();
    assert!(past_the_end.items.is_empty());
    assert_eq!(past_the_end.total, 6);
    assert!(store.list_logins(0, 0).await.unwrap().items.is_empty());
    assert_eq!(store.list_logins(0, u64::MAX).await.unwrap().items.len(), 6);

    let stored = second.items.into_iter().find(|e| e.username == "ada").unwrap();
    assert_eq!(
        (
            stored.occurred_at,
            stored.user_id,
            stored.outcome,
            stored.ip,
            stored.user_agent
        ),
        (
            full.occurred_at,
            Some(UserId(user.id.0)),
            full.outcome,
            full.ip,
            full.user_agent
        )
    );
    assert!(first.items[0].id != first.items[1].id);
}
