use latchkey_domain::{Actor, AdminRuleError, LockState, PlainPassword, Role, UserId};
use latchkey_ports::{PasswordHash, StoreError};

use super::*;
use crate::testing::{Mocks, user};
use crate::{AppError, PageQuery};

const ADMIN: Actor = Actor {
    user_id: UserId(1),
    role: Role::Admin,
};
const RESIDENT: Actor = Actor {
    user_id: UserId(2),
    role: Role::User,
};

fn admin(m: Mocks) -> AdminUsers {
    AdminUsers::new(m.into_ports(), crate::Policies::default())
}

fn create_cmd(name: &str, pw: &str, role: Option<&str>) -> CreateUserCommand {
    CreateUserCommand {
        username: name.into(),
        password: PlainPassword::new(pw),
        role: role.map(Into::into),
        first_name: None,
        last_name: None,
        structure: None,
    }
}

#[tokio::test]
async fn residents_are_refused_every_admin_use_case() {
    let a = admin(Mocks::default());
    let forbidden = AppError::AdminRule(AdminRuleError::NotAdmin);
    assert_eq!(a.list(RESIDENT).await.unwrap_err(), forbidden);
    assert_eq!(
        a.create(RESIDENT, create_cmd("bob", "brisk-walnut-harbor-71", None))
            .await
            .unwrap_err(),
        forbidden
    );
    assert_eq!(a.disable(RESIDENT, UserId(3)).await.unwrap_err(), forbidden);
    assert_eq!(
        a.delete_permanently(RESIDENT, UserId(3)).await.unwrap_err(),
        forbidden
    );
    assert_eq!(
        a.reset_password(RESIDENT, UserId(3)).await.unwrap_err(),
        forbidden
    );
    assert_eq!(a.unlock(RESIDENT, UserId(3)).await.unwrap_err(), forbidden);
    assert_eq!(
        a.login_audit(RESIDENT, PageQuery::new(None, None).unwrap())
            .await
            .unwrap_err(),
        forbidden
    );
}

#[tokio::test]
async fn create_validates_before_hashing() {
    let mut m = Mocks::default();
    m.hasher.expect_hash().never();
    let a = admin(m);
    let err = a
        .create(ADMIN, create_cmd("x", "brisk-walnut-harbor-71", None))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        AppError::Validation {
            field: "username",
            ..
        }
    ));
    let err = a
        .create(ADMIN, create_cmd("bob", "short", None))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        AppError::Validation {
            field: "password",
            ..
        }
    ));
    let err = a
        .create(ADMIN, create_cmd("bob", "brisk-walnut-harbor-71", Some("root")))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Validation { field: "role", .. }));
}

#[tokio::test]
async fn duplicate_username_is_a_conflict() {
    let mut m = Mocks::default();
    m.hasher.expect_hash().returning(|_| Ok(PasswordHash("h".into())));
    m.users
        .expect_create_user()
        .returning(|_| Err(StoreError::Conflict("users_username_key".into())));
    let err = admin(m)
        .create(ADMIN, create_cmd("Bob", "brisk-walnut-harbor-71", None))
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Conflict { field: "username" });
}

#[tokio::test]
async fn create_defaults_to_resident_without_forced_change() {
    let mut m = Mocks::default();
    m.hasher.expect_hash().returning(|_| Ok(PasswordHash("h".into())));
    m.users
        .expect_create_user()
        .withf(|n| n.role == Role::User && !n.must_change_password && n.username.as_str() == "Bob")
        .returning(|_| Ok(user(5, "Bob", Role::User)));
    let u = admin(m)
        .create(ADMIN, create_cmd(" Bob ", "brisk-walnut-harbor-71", None))
        .await
        .unwrap();
    assert_eq!(u.id, UserId(5));
}

#[tokio::test]
async fn admin_cannot_disable_self_through_either_route() {
    let mut m = Mocks::default();
    m.users
        .expect_get_user()
        .returning(|_| Ok(user(1, "root-admin", Role::Admin)));
    m.users.expect_update_user().never();
    let a = admin(m);
    let err = a.disable(ADMIN, UserId(1)).await.unwrap_err();
    assert_eq!(err, AppError::AdminRule(AdminRuleError::CannotDisableSelf));
    let cmd = UpdateUserCommand {
        disabled: Some(true),
        ..Default::default()
    };
    let err = a.update(ADMIN, UserId(1), cmd).await.unwrap_err();
    assert_eq!(err, AppError::AdminRule(AdminRuleError::CannotDisableSelf));
}

#[tokio::test]
async fn unknown_user_is_not_found() {
    let mut m = Mocks::default();
    m.users.expect_get_user().returning(|_| Err(StoreError::NotFound));
    let a = admin(m);
    assert_eq!(
        a.delete_permanently(ADMIN, UserId(99)).await.unwrap_err(),
        AppError::NotFound { resource: "user" }
    );
    assert_eq!(
        a.reset_password(ADMIN, UserId(99)).await.unwrap_err(),
        AppError::NotFound { resource: "user" }
    );
}

#[tokio::test]
async fn admins_are_never_deleted_permanently() {
    let mut m = Mocks::default();
    m.users
        .expect_get_user()
        .returning(|_| Ok(user(4, "other-admin", Role::Admin)));
    m.users.expect_delete_user().never();
    let err = admin(m).delete_permanently(ADMIN, UserId(4)).await.unwrap_err();
    assert_eq!(err, AppError::AdminRule(AdminRuleError::CannotDeleteAdmin));
}

#[tokio::test]
async fn reset_password_forces_a_change_revokes_sessions_and_clears_lockout() {
    let mut m = Mocks::default();
    let locked = || {
        let mut u = user(6, "carol", Role::User);
        u.lock = LockState {
            failed_logins: 5,
            locked_until: Some(crate::testing::NOW),
        };
        u
    };
    m.users.expect_get_user().returning(move |_| Ok(locked()));
    m.random
        .expect_temporary_password()
        .returning(|| PlainPassword::new("temp-Aq9!temp-Zz81"));
    m.hasher.expect_hash().returning(|_| Ok(PasswordHash("h".into())));
    m.users
        .expect_update_user()
        .times(1)
        .withf(|_, u, _| u.revokes_sessions() && matches!(&u.password, Some((_, true))))
        .returning(move |_, _, _| Ok(locked()));
    m.users
        .expect_swap_lock_state()
        .times(1)
        .withf(|_, _, new| *new == LockState::default())
        .returning(|_, _, _| Ok(true));
    let temp = admin(m).reset_password(ADMIN, UserId(6)).await.unwrap();
    assert_eq!(temp.expose(), "temp-Aq9!temp-Zz81");
}

#[tokio::test]
async fn audit_paging_is_validated_and_translated_to_offsets() {
    assert!(PageQuery::new(Some(0), None).is_err());
    assert!(PageQuery::new(None, Some(0)).is_err());
    assert!(PageQuery::new(None, Some(501)).is_err());
    let mut m = Mocks::default();
    m.audit
        .expect_list_logins()
        .withf(|offset, limit| *offset == 40 && *limit == 20)
        .returning(|_, _| {
            Ok(latchkey_ports::Page {
                items: vec![],
                total: 0,
            })
        });
    admin(m)
        .login_audit(ADMIN, PageQuery::new(Some(3), Some(20)).unwrap())
        .await
        .unwrap();
}
