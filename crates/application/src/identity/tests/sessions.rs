//! Session checks: idle expiry, touching, unknown sessions, store outages.

use super::*;

#[tokio::test]
async fn idle_session_is_deleted_and_refused() {
    let mut m = Mocks::default();
    m.sessions.expect_find_session().returning(|_| {
        Ok(Some((
            session(NOW - Duration::minutes(31)),
            user(7, "ada", Role::User),
        )))
    });
    m.sessions.expect_delete_session().times(1).returning(|_| Ok(()));
    let err = identity(m)
        .authenticate(&SessionSecret::new("sid"))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Unauthenticated);
}

#[tokio::test]
async fn live_session_is_touched_only_when_stale() {
    let mut m = Mocks::default();
    m.sessions.expect_find_session().returning(|_| {
        Ok(Some((
            session(NOW - Duration::seconds(10)),
            user(7, "ada", Role::User),
        )))
    });
    m.sessions.expect_touch_session().never();
    let p = identity(m)
        .authenticate(&SessionSecret::new("sid"))
        .await
        .unwrap();
    assert_eq!(p.actor().role, Role::User);

    let mut m = Mocks::default();
    m.sessions.expect_find_session().returning(|_| {
        Ok(Some((
            session(NOW - Duration::minutes(5)),
            user(7, "ada", Role::User),
        )))
    });
    m.sessions
        .expect_touch_session()
        .times(1)
        .returning(|_, _| Ok(()));
    identity(m)
        .authenticate(&SessionSecret::new("sid"))
        .await
        .unwrap();
}

#[tokio::test]
async fn unknown_session_is_unauthenticated() {
    let mut m = Mocks::default();
    m.sessions.expect_find_session().returning(|_| Ok(None));
    assert_eq!(
        identity(m)
            .authenticate(&SessionSecret::new("nope"))
            .await
            .unwrap_err(),
        AppError::Unauthenticated
    );
}

#[tokio::test]
async fn store_outage_is_unavailable_not_unauthenticated() {
    let mut m = Mocks::default();
    m.sessions.expect_find_session().returning(|_| {
        Err(latchkey_ports::StoreError::Unavailable(
            "connection refused".into(),
        ))
    });
    assert_eq!(
        identity(m)
            .authenticate(&SessionSecret::new("sid"))
            .await
            .unwrap_err(),
        AppError::Unavailable
    );
}
