//! Changing a password: the current one, the policy, revoking sessions.

use super::*;

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
