use latchkey_domain::{LockState, LoginOutcome, PlainPassword, Role, Session};
use latchkey_ports::{PasswordHash, UserCredentials};
use mockall::predicate::eq;
use time::Duration;

use super::*;
use crate::AppError;
use crate::testing::{Mocks, NOW, user};

fn login_cmd(name: &str, pw: &str) -> LoginCommand {
    LoginCommand {
        username: name.into(),
        password: PlainPassword::new(pw),
        client: ClientInfo {
            ip: Some("203.0.113.9".into()),
            user_agent: Some("test".into()),
        },
    }
}

fn creds(u: latchkey_domain::User) -> UserCredentials {
    UserCredentials {
        user: u,
        password_hash: PasswordHash("$argon2id$stub".into()),
    }
}

fn expect_audit(m: &mut Mocks, outcome: LoginOutcome) {
    m.audit
        .expect_record_login()
        .times(1)
        .withf(move |e| e.outcome == outcome)
        .returning(|_| Ok(()));
}

fn identity(m: Mocks) -> Identity {
    Identity::new(m.into_ports(), Policies::default())
}

#[tokio::test]
async fn empty_fields_are_missing_credentials_and_audited() {
    let mut m = Mocks::default();
    expect_audit(&mut m, LoginOutcome::MissingCredentials);
    let err = identity(m).login(login_cmd("  ", "x")).await.unwrap_err();
    assert_eq!(err, AppError::MissingCredentials);
}

#[tokio::test]
async fn unknown_user_pays_one_dummy_verification() {
    let mut m = Mocks::default();
    m.users
        .expect_find_credentials()
        .with(eq("ghost"))
        .returning(|_| Ok(None));
    m.hasher.expect_verify_dummy().times(1).returning(|_| ());
    m.hasher.expect_verify().never();
    expect_audit(&mut m, LoginOutcome::InvalidCredentials);
    let err = identity(m)
        .login(login_cmd("Ghost", "whatever-long-pw"))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::InvalidCredentials);
}

#[tokio::test]
async fn wrong_password_counts_one_failure_by_compare_and_swap() {
    let mut m = Mocks::default();
    m.users
        .expect_find_credentials()
        .returning(|_| Ok(Some(creds(user(7, "ada", Role::User)))));
    m.hasher.expect_verify().returning(|_, _| Ok(false));
    m.users
        .expect_swap_lock_state()
        .times(1)
        .withf(|id, old, new| id.0 == 7 && *old == LockState::default() && new.failed_logins == 1)
        .returning(|_, _, _| Ok(true));
    expect_audit(&mut m, LoginOutcome::InvalidCredentials);
    let err = identity(m)
        .login(login_cmd("ada", "wrong-password!"))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::InvalidCredentials);
}

#[tokio::test]
async fn a_store_that_cannot_answer_is_unavailable_and_not_audited() {
    let mut m = Mocks::default();
    m.users.expect_find_credentials().returning(|_| {
        Err(latchkey_ports::StoreError::Unavailable(
            "connection refused".into(),
        ))
    });
    m.hasher.expect_verify().never();
    m.audit.expect_record_login().never();
    let err = identity(m)
        .login(login_cmd("ada", "right-password!"))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Unavailable);
}

#[tokio::test]
async fn a_session_the_store_cannot_write_is_unavailable_and_not_audited() {
    let mut m = Mocks::default();
    m.users
        .expect_find_credentials()
        .returning(|_| Ok(Some(creds(user(7, "ada", Role::User)))));
    m.hasher.expect_verify().returning(|_, _| Ok(true));
    m.random.expect_token().returning(|| "raw-session-id".into());
    m.sessions.expect_create_session().returning(|_| {
        Err(latchkey_ports::StoreError::Unavailable(
            "database is locked".into(),
        ))
    });
    m.audit.expect_record_login().never();
    let err = identity(m)
        .login(login_cmd("ada", "right-password!"))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Unavailable);
}

#[tokio::test]
async fn a_busy_hasher_is_unavailable_and_still_audited() {
    let mut m = Mocks::default();
    m.users
        .expect_find_credentials()
        .returning(|_| Ok(Some(creds(user(7, "ada", Role::User)))));
    m.hasher
        .expect_verify()
        .returning(|_, _| Err(latchkey_ports::HashError::Busy));
    expect_audit(&mut m, LoginOutcome::InvalidCredentials);
    let err = identity(m)
        .login(login_cmd("ada", "right-password!"))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Unavailable);
}

#[tokio::test]
async fn lost_race_rereads_and_counts_on_top() {
    let mut m = Mocks::default();
    m.users
        .expect_find_credentials()
        .returning(|_| Ok(Some(creds(user(7, "ada", Role::User)))));
    m.hasher.expect_verify().returning(|_, _| Ok(false));
    let mut seq = mockall::Sequence::new();
    m.users
        .expect_swap_lock_state()
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_, _, _| Ok(false));
    m.users
        .expect_get_user()
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| {
            let mut u = user(7, "ada", Role::User);
            u.lock.failed_logins = 3;
            Ok(u)
        });
    m.users
        .expect_swap_lock_state()
        .times(1)
        .in_sequence(&mut seq)
        .withf(|_, old, new| old.failed_logins == 3 && new.failed_logins == 4)
        .returning(|_, _, _| Ok(true));
    expect_audit(&mut m, LoginOutcome::InvalidCredentials);
    identity(m)
        .login(login_cmd("ada", "wrong-password!"))
        .await
        .unwrap_err();
}

#[tokio::test]
async fn locked_account_is_refused_without_checking_the_password() {
    let until = NOW + Duration::minutes(10);
    let mut m = Mocks::default();
    m.users.expect_find_credentials().returning(move |_| {
        let mut u = user(7, "ada", Role::User);
        u.lock = LockState {
            failed_logins: 5,
            locked_until: Some(until),
        };
        Ok(Some(creds(u)))
    });
    m.hasher.expect_verify().never();
    expect_audit(&mut m, LoginOutcome::Locked);
    let err = identity(m)
        .login(login_cmd("ada", "right-password"))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::AccountLocked { until });
}

#[tokio::test]
async fn disabled_is_only_revealed_after_the_right_password() {
    let mut m = Mocks::default();
    m.users.expect_find_credentials().returning(|_| {
        let mut u = user(7, "ada", Role::User);
        u.disabled = true;
        Ok(Some(creds(u)))
    });
    m.hasher.expect_verify().returning(|_, _| Ok(true));
    m.sessions.expect_create_session().never();
    expect_audit(&mut m, LoginOutcome::Disabled);
    let err = identity(m)
        .login(login_cmd("ada", "right-password"))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::AccountDisabled);
}

#[tokio::test]
async fn success_resets_failures_and_opens_a_session_stored_by_hash() {
    let mut m = Mocks::default();
    m.users.expect_find_credentials().returning(|_| {
        let mut u = user(7, "ada", Role::User);
        u.lock.failed_logins = 2;
        Ok(Some(creds(u)))
    });
    m.hasher.expect_verify().returning(|_, _| Ok(true));
    m.users
        .expect_swap_lock_state()
        .times(1)
        .withf(|_, old, new| old.failed_logins == 2 && *new == LockState::default())
        .returning(|_, _, _| Ok(true));
    m.random.expect_token().returning(|| "raw-session-id".into());
    let expected_hash = SessionSecret::new("raw-session-id").hash();
    m.sessions
        .expect_create_session()
        .times(1)
        .withf(move |s| s.id_hash == expected_hash && s.expires_at == NOW + Duration::hours(12))
        .returning(|s| {
            Ok(Session {
                id_hash: s.id_hash,
                user_id: s.user_id,
                created_at: s.created_at,
                last_seen_at: s.created_at,
                expires_at: s.expires_at,
            })
        });
    expect_audit(&mut m, LoginOutcome::Success);
    let ok = identity(m)
        .login(login_cmd("ADA", "right-password"))
        .await
        .unwrap();
    assert_eq!(ok.secret.expose(), "raw-session-id");
    assert_ne!(ok.session.id_hash, "raw-session-id");
}

fn session(last_seen: time::OffsetDateTime) -> Session {
    Session {
        id_hash: SessionSecret::new("sid").hash(),
        user_id: latchkey_domain::UserId(7),
        created_at: NOW - Duration::hours(1),
        last_seen_at: last_seen,
        expires_at: NOW + Duration::hours(11),
    }
}

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

#[tokio::test]
async fn change_password_needs_the_current_one_and_revokes_sessions() {
    let principal = Principal {
        user: user(7, "ada", Role::User),
        session: session(NOW),
    };

    // Wrong current password: counted as a failure, nothing changed.
    let mut m = Mocks::default();
    m.users
        .expect_find_credentials()
        .returning(|_| Ok(Some(creds(user(7, "ada", Role::User)))));
    m.hasher.expect_verify().returning(|_, _| Ok(false));
    m.users
        .expect_swap_lock_state()
        .times(1)
        .returning(|_, _, _| Ok(true));
    m.users.expect_update_user().never();
    let err = identity(m)
        .change_password(
            &principal,
            &PlainPassword::new("bad"),
            &PlainPassword::new("brisk-walnut-harbor-71"),
            &ClientInfo::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err, AppError::InvalidCurrentPassword);

    // Right one: the update carries a new hash (which revokes sessions) and a new session opens.
    let mut m = Mocks::default();
    m.users
        .expect_find_credentials()
        .returning(|_| Ok(Some(creds(user(7, "ada", Role::User)))));
    m.hasher.expect_verify().returning(|_, _| Ok(true));
    m.hasher
        .expect_hash()
        .returning(|_| Ok(PasswordHash("$argon2id$new".into())));
    m.users
        .expect_update_user()
        .times(1)
        .withf(|_, u, _| u.revokes_sessions() && matches!(&u.password, Some((_, false))))
        .returning(|_, _, _| Ok(user(7, "ada", Role::User)));
    m.random.expect_token().returning(|| "fresh".into());
    m.sessions.expect_create_session().times(1).returning(|s| {
        Ok(Session {
            id_hash: s.id_hash,
            user_id: s.user_id,
            created_at: s.created_at,
            last_seen_at: s.created_at,
            expires_at: s.expires_at,
        })
    });
    let ok = identity(m)
        .change_password(
            &principal,
            &PlainPassword::new("old-password-1"),
            &PlainPassword::new("brisk-walnut-harbor-71"),
            &ClientInfo::default(),
        )
        .await
        .unwrap();
    assert_eq!(ok.secret.expose(), "fresh");
}

#[tokio::test]
async fn change_password_applies_the_policy() {
    let principal = Principal {
        user: user(7, "ada", Role::User),
        session: session(NOW),
    };
    let mut m = Mocks::default();
    m.users
        .expect_find_credentials()
        .returning(|_| Ok(Some(creds(user(7, "ada", Role::User)))));
    m.hasher.expect_verify().returning(|_, _| Ok(true));
    m.users.expect_update_user().never();
    let err = identity(m)
        .change_password(
            &principal,
            &PlainPassword::new("old-password-1"),
            &PlainPassword::new("Password123!"),
            &ClientInfo::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            AppError::Validation {
                field: "newPassword",
                ..
            }
        ),
        "{err:?}"
    );
}
