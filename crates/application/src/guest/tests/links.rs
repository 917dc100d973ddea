//! Creating, listing and changing links and templates.

use super::*;

#[tokio::test]
async fn create_stores_the_hash_and_a_sealed_copy_never_the_token() {
    let mut m = M::default();
    m.my_account_with_door();
    m.links.expect_create_guest_link().times(1).returning(|new| {
        assert_eq!(new.token_hash, GuestToken::new(TOKEN).hash());
        assert!(
            !new.sealed_token
                .windows(TOKEN.len())
                .any(|w| w == TOKEN.as_bytes())
        );
        let opened = XorBox.open(&new.sealed_token, &seal_context(ME.user_id)).unwrap();
        assert_eq!(opened, TOKEN.as_bytes());
        assert_eq!(new.label.as_deref(), Some("Plumber"));
        assert_eq!(
            (new.starts_at, new.expires_at, new.max_uses),
            (NOW, NOW + Duration::hours(6), Some(2))
        );
        let mut l = link(new.max_uses, 0);
        l.starts_at = new.starts_at;
        l.expires_at = new.expires_at;
        Ok(l)
    });
    let view = m
        .service()
        .create_link(ME, create(Duration::hours(6)))
        .await
        .unwrap();
    assert_eq!(view.token.unwrap().expose(), TOKEN);
    assert_eq!(view.state, GuestLinkState::Active);
}

#[tokio::test]
async fn create_refuses_bad_windows_and_limits_before_touching_anything() {
    let cases = [
        (create(Duration::days(90) + Duration::seconds(1)), "expiresAt"),
        (create(Duration::ZERO), "expiresAt"),
        (
            CreateLink {
                max_uses: Some(0),
                ..create(Duration::hours(1))
            },
            "maxUses",
        ),
        (
            CreateLink {
                max_uses: Some(1001),
                ..create(Duration::hours(1))
            },
            "maxUses",
        ),
        (
            CreateLink {
                starts_at: Some(NOW - Duration::hours(3)),
                ..create(-Duration::hours(1))
            },
            "expiresAt",
        ),
        (
            CreateLink {
                label: Some("x".repeat(101)),
                ..create(Duration::hours(1))
            },
            "label",
        ),
        (
            CreateLink {
                expires_at: None,
                ..create(Duration::hours(1))
            },
            "expiresAt",
        ),
    ];
    for (cmd, field) in cases {
        // No expectations: any store or Ring call would panic the mock.
        let err = M::default().service().create_link(ME, cmd).await.unwrap_err();
        assert!(
            matches!(err, AppError::Validation { field: f, .. } if f == field),
            "{field}: {err:?}"
        );
    }
}

#[tokio::test]
async fn create_on_an_intercom_the_account_cannot_open_is_not_found() {
    let mut m = M::default();
    m.my_account_with_door();
    let cmd = CreateLink {
        intercom_id: Some(IntercomId(2001)),
        ..create(Duration::hours(1))
    };
    let err = m.service().create_link(ME, cmd).await.unwrap_err();
    assert_eq!(err, AppError::NotFound { resource: "intercom" });
}

#[tokio::test]
async fn create_on_another_users_account_is_not_found() {
    let mut m = M::default();
    m.accounts
        .expect_get_ring_account()
        .returning(|_, _| Err(StoreError::NotFound));
    let err = m
        .service()
        .create_link(ME, create(Duration::hours(1)))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        AppError::NotFound {
            resource: "ring account"
        }
    );
}

#[tokio::test]
async fn create_from_a_template_takes_its_duration_and_limit() {
    let mut m = M::default();
    m.my_account_with_door();
    m.templates
        .expect_get_guest_template()
        .withf(|id, owner| *id == 5 && *owner == ME.user_id)
        .returning(|_, _| {
            Ok(GuestLinkTemplate {
                id: 5,
                owner_id: ME.user_id,
                name: "Cleaner".into(),
                duration_hours: 3,
                max_uses: Some(4),
                created_at: NOW,
            })
        });
    m.links
        .expect_create_guest_link()
        .withf(|new| new.expires_at == NOW + Duration::hours(3) && new.max_uses == Some(4))
        .returning(|new| Ok(link(new.max_uses, 0)));
    let cmd = CreateLink {
        expires_at: None,
        max_uses: None,
        template_id: Some(5),
        ..create(Duration::hours(1))
    };
    m.service().create_link(ME, cmd).await.unwrap();
}

#[tokio::test]
async fn listing_keeps_links_whose_token_cannot_be_opened() {
    let mut m = M::default();
    let good = XorBox.seal(TOKEN.as_bytes(), &seal_context(ME.user_id)).unwrap();
    m.links.expect_list_guest_links().returning(move |_, _| {
        Ok(vec![
            OwnedGuestLink {
                link: link(Some(2), 2),
                sealed_token: good.clone(),
            },
            OwnedGuestLink {
                link: link(None, 0),
                sealed_token: b"garbage".to_vec(),
            },
        ])
    });
    let views = m.service().links(ME, page(None, 10)).await.unwrap().links;
    assert_eq!(views.len(), 2);
    assert_eq!(views[0].token.as_ref().map(GuestToken::expose), Some(TOKEN));
    assert_eq!(views[0].state, GuestLinkState::UsedUp);
    assert!(views[1].token.is_none());
}

#[tokio::test]
async fn expiry_of_disabled_or_used_up_links_cannot_move() {
    for (l, rule) in [
        (
            GuestLink {
                disabled: true,
                ..link(None, 0)
            },
            GuestLinkError::Disabled,
        ),
        (link(Some(1), 1), GuestLinkError::UsedUp),
    ] {
        let mut m = M::default();
        m.links
            .expect_get_guest_link()
            .returning(move |_, _| Ok(l.clone()));
        m.links.expect_set_guest_link_expiry().never();
        let err = m
            .service()
            .set_expiry(ME, GuestLinkId(11), NOW + Duration::hours(5))
            .await
            .unwrap_err();
        assert_eq!(err, AppError::GuestLinkNotExtendable(rule));
    }
}

#[tokio::test]
async fn expiry_moves_and_returns_the_stored_value() {
    let mut m = M::default();
    m.links
        .expect_get_guest_link()
        .returning(|_, _| Ok(link(None, 0)));
    m.links
        .expect_set_guest_link_expiry()
        .withf(|id, owner, at, _| {
            *id == GuestLinkId(11) && *owner == ME.user_id && *at == NOW + Duration::hours(5)
        })
        .returning(|_, _, at, _| {
            let mut l = link(None, 0);
            l.expires_at = at;
            Ok(l)
        });
    let at = m
        .service()
        .set_expiry(ME, GuestLinkId(11), NOW + Duration::hours(5))
        .await
        .unwrap();
    assert_eq!(at, NOW + Duration::hours(5));
}

#[tokio::test]
async fn templates_validate_name_duration_and_limit() {
    for (name, hours, uses, field) in [
        ("", 1, None, "name"),
        ("Cleaner", 0, None, "durationHours"),
        ("Cleaner", 2161, None, "durationHours"),
        ("Cleaner", 2, Some(0), "maxUses"),
    ] {
        let err = M::default()
            .service()
            .create_template(ME, name, hours, uses)
            .await
            .unwrap_err();
        assert!(
            matches!(err, AppError::Validation { field: f, .. } if f == field),
            "{field}: {err:?}"
        );
    }
}

fn page(before: Option<i64>, limit: i64) -> LinkPageQuery {
    LinkPageQuery::new(before, Some(limit)).unwrap()
}

fn links_with_ids(ids: &[i64]) -> Vec<OwnedGuestLink> {
    ids.iter()
        .map(|&id| OwnedGuestLink {
            link: GuestLink {
                id: GuestLinkId(id),
                ..link(None, 0)
            },
            sealed_token: b"unopenable".to_vec(),
        })
        .collect()
}

#[tokio::test]
async fn a_page_asks_the_store_for_one_more_to_know_whether_another_follows() {
    let mut m = M::default();
    m.links
        .expect_list_guest_links()
        .withf(|owner, slice| {
            *owner == ME.user_id
                && *slice
                    == LinkSlice {
                        before: Some(GuestLinkId(90)),
                        limit: 3,
                    }
        })
        .returning(|_, _| Ok(links_with_ids(&[80, 70, 60])));
    let got = m.service().links(ME, page(Some(90), 2)).await.unwrap();
    let ids: Vec<i64> = got.links.iter().map(|v| v.link.id.0).collect();
    assert_eq!(ids, [80, 70]);
    assert_eq!(got.next_before, Some(GuestLinkId(70)));
}

#[tokio::test]
async fn the_last_page_has_no_next_cursor() {
    let mut m = M::default();
    m.links
        .expect_list_guest_links()
        .returning(|_, _| Ok(links_with_ids(&[20, 10])));
    let got = m.service().links(ME, page(None, 2)).await.unwrap();
    assert_eq!(got.links.len(), 2);
    assert_eq!(got.next_before, None);
}

#[test]
fn page_parameters_are_validated() {
    let default = LinkPageQuery::new(None, None).unwrap();
    assert_eq!(
        (default.before, default.limit),
        (None, LinkPageQuery::DEFAULT_LIMIT)
    );
    assert_eq!(LinkPageQuery::new(None, Some(500)).unwrap().limit, 500);
    for (before, limit, field) in [
        (None, Some(0), "limit"),
        (None, Some(501), "limit"),
        (None, Some(-1), "limit"),
        (Some(0), None, "before"),
        (Some(-5), None, "before"),
    ] {
        let err = LinkPageQuery::new(before, limit).unwrap_err();
        assert!(
            matches!(err, AppError::Validation { field: f, .. } if f == field),
            "{before:?} {limit:?}: {err:?}"
        );
    }
}
