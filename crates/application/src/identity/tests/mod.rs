//! Use-case tests of identity with mocked ports: logins here, sessions and password
//! changes in their own files.

mod passwords;
mod sessions;

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

pub(super) fn session(last_seen: time::OffsetDateTime) -> Session {
    Session {
        id_hash: SessionSecret::new("sid").hash(),
        user_id: latchkey_domain::UserId(7),
        created_at: NOW - Duration::hours(1),
        last_seen_at: last_seen,
        expires_at: NOW + Duration::hours(11),
    }
}
