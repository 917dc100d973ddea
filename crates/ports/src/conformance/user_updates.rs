//! `UserStore::update_user`: each field, conflicts, and the session revocation it promises.

use latchkey_domain::{PersonName, Structure, User};

use super::ConformanceStore;
use super::fixtures::{NOBODY, T0, at, hash, new_session, new_user, username};
use crate::{NewUser, StoreError, UserUpdate};

/// An update and what it must do to the user.
type Step = (UserUpdate, fn(&mut User));

pub async fn update_user_changes_each_field_alone<S: ConformanceStore>(store: S) {
    let base = store.create_user(new_user("subject")).await.unwrap();
    let mut expected: User = base.clone();
    let changes: Vec<Step> = vec![
        (UserUpdate::default(), |_| {}),
        (
            UserUpdate {
                username: Some(username("Subject.Renamed")),
                ..Default::default()
            },
            |u| {
                u.username = username("Subject.Renamed");
            },
        ),
        (
            UserUpdate {
                first_name: Some(PersonName::parse("firstName", Some("Sam")).unwrap()),
                ..Default::default()
            },
            |u| u.first_name = PersonName::parse("firstName", Some("Sam")).unwrap(),
        ),
        (
            UserUpdate {
                last_name: Some(PersonName::parse("lastName", Some("Jones")).unwrap()),
                ..Default::default()
            },
            |u| u.last_name = PersonName::parse("lastName", Some("Jones")).unwrap(),
        ),
        (
            UserUpdate {
                structure: Some(Structure::parse(Some("B 7")).unwrap()),
                ..Default::default()
            },
            |u| {
                u.structure = Structure::parse(Some("B 7")).unwrap();
            },
        ),
        (
            UserUpdate {
                disabled: Some(true),
                ..Default::default()
            },
            |u| u.disabled = true,
        ),
        (
            UserUpdate {
                disabled: Some(false),
                ..Default::default()
            },
            |u| u.disabled = false,
        ),
        (
            UserUpdate {
                password: Some((hash("new"), true)),
                ..Default::default()
            },
            |u| {
                u.must_change_password = true;
            },
        ),
        (
            UserUpdate {
                password: Some((hash("newer"), false)),
                ..Default::default()
            },
            |u| {
                u.must_change_password = false;
            },
        ),
    ];
    for (step, (update, apply)) in changes.into_iter().enumerate() {
        let now = at(i64::try_from(step).unwrap() + 1);
        let described = format!("{update:?}");
        let returned = store.update_user(base.id, update, now).await.unwrap();
        apply(&mut expected);
        expected.updated_at = now;
        assert_eq!(returned, expected, "after {described}");
        assert_eq!(
            store.get_user(base.id).await.unwrap(),
            expected,
            "stored after {described}"
        );
    }
    let creds = store
        .find_credentials(&username("subject.renamed").key())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(creds.password_hash, hash("newer"));
    assert_eq!(creds.user.created_at, base.created_at, "created_at never moves");
}

pub async fn update_user_clears_optional_fields<S: ConformanceStore>(store: S) {
    let input = NewUser {
        first_name: PersonName::parse("firstName", Some("Ada")).unwrap(),
        last_name: PersonName::parse("lastName", Some("Lovelace")).unwrap(),
        structure: Structure::parse(Some("B 3")).unwrap(),
        ..new_user("ada")
    };
    let user = store.create_user(input).await.unwrap();
    let clear = UserUpdate {
        first_name: Some(PersonName::default()),
        last_name: Some(PersonName::default()),
        structure: Some(Structure::default()),
        ..Default::default()
    };
    let cleared = store.update_user(user.id, clear, at(1)).await.unwrap();
    assert_eq!(
        (
            cleared.first_name.as_deref(),
            cleared.last_name.as_deref(),
            cleared.structure.as_deref()
        ),
        (None, None, None)
    );
    assert_eq!(store.get_user(user.id).await.unwrap(), cleared);
}

pub async fn update_user_renames_and_moves_the_key<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("ada")).await.unwrap();
    // Changing only the case of one's own name is no conflict.
    let recased = UserUpdate {
        username: Some(username("ADA")),
        ..Default::default()
    };
    assert_eq!(
        store
            .update_user(user.id, recased, at(1))
            .await
            .unwrap()
            .username
            .as_str(),
        "ADA"
    );

    let renamed = UserUpdate {
        username: Some(username("Countess")),
        ..Default::default()
    };
    store.update_user(user.id, renamed, at(2)).await.unwrap();
    assert!(store.find_credentials("ada").await.unwrap().is_none());
    let found = store.find_credentials("countess").await.unwrap().unwrap();
    assert_eq!(
        (found.user.id, found.user.username.as_str()),
        (user.id, "Countess")
    );
}

pub async fn update_user_to_a_taken_name_conflicts_and_changes_nothing<S: ConformanceStore>(store: S) {
    store.create_user(new_user("taken")).await.unwrap();
    let user = store.create_user(new_user("free")).await.unwrap();
    store
        .create_session(new_session("s-free", user.id, T0))
        .await
        .unwrap();

    // Together with a revoking change: the transaction must roll back as a whole.
    let update = UserUpdate {
        username: Some(username("TAKEN")),
        password: Some((hash("other"), true)),
        ..Default::default()
    };
    let err = store.update_user(user.id, update, at(1)).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(store.get_user(user.id).await.unwrap(), user);
    assert_eq!(
        store
            .find_credentials("free")
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        hash("free")
    );
    assert!(
        store.find_session("s-free").await.unwrap().is_some(),
        "no revocation on failure"
    );
}

pub async fn update_unknown_user_is_not_found<S: ConformanceStore>(store: S) {
    for update in [
        UserUpdate::default(),
        UserUpdate {
            first_name: Some(PersonName::default()),
            ..Default::default()
        },
        UserUpdate {
            password: Some((hash("x"), false)),
            ..Default::default()
        },
    ] {
        assert_eq!(
            store.update_user(NOBODY, update, at(1)).await,
            Err(StoreError::NotFound)
        );
    }
}

pub async fn password_update_revokes_sessions<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    let other = store.create_user(new_user("neighbour")).await.unwrap();
    for id in ["r-1", "r-2"] {
        store.create_session(new_session(id, user.id, T0)).await.unwrap();
    }
    store
        .create_session(new_session("n-1", other.id, T0))
        .await
        .unwrap();

    let update = UserUpdate {
        password: Some((hash("changed"), true)),
        ..Default::default()
    };
    let updated = store.update_user(user.id, update, at(5)).await.unwrap();
    assert!(updated.must_change_password);
    assert_eq!(
        store
            .find_credentials("resident")
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        hash("changed")
    );
    assert!(store.find_session("r-1").await.unwrap().is_none());
    assert!(store.find_session("r-2").await.unwrap().is_none());
    assert!(
        store.find_session("n-1").await.unwrap().is_some(),
        "other users keep theirs"
    );
}

pub async fn disable_revokes_sessions_but_other_updates_do_not<S: ConformanceStore>(store: S) {
    let user = store.create_user(new_user("resident")).await.unwrap();
    store
        .create_session(new_session("keep", user.id, T0))
        .await
        .unwrap();
    let harmless = [
        UserUpdate {
            structure: Some(Structure::parse(Some("A 1")).unwrap()),
            ..Default::default()
        },
        UserUpdate {
            username: Some(username("Resident2")),
            ..Default::default()
        },
        UserUpdate {
            disabled: Some(false),
            ..Default::default()
        },
    ];
    for update in harmless {
        store.update_user(user.id, update, at(1)).await.unwrap();
        assert!(store.find_session("keep").await.unwrap().is_some());
    }
    let disable = UserUpdate {
        disabled: Some(true),
        ..Default::default()
    };
    assert!(store.update_user(user.id, disable, at(2)).await.unwrap().disabled);
    assert!(store.find_session("keep").await.unwrap().is_none());
}
