use std::sync::Arc;

use latchkey_domain::{
    AccountLabel, Actor, GuestLink, GuestLinkError, GuestLinkId, GuestLinkPolicy, GuestLinkState,
    GuestLinkTemplate, GuestUnlockRefusal, IntercomId, RingAccount, RingAccountId, RingLinkStatus, Role,
    UnlockActor, UnlockOutcome, UserId,
};
use latchkey_ports::guest_links::{MockGuestLinkStore, MockGuestTemplateStore};
use latchkey_ports::intercom::MockIntercomGateway;
use latchkey_ports::ring_accounts::MockRingAccountStore;
use latchkey_ports::security::MockRandomSource;
use latchkey_ports::unlock_audit::MockUnlockAuditStore;
use latchkey_ports::{
    GatewayError, IntercomInfo, OwnedGuestLink, Reservation, SecretBox, StoreError, UnlockFailure,
};
use time::Duration;

use super::token::seal_context;
use super::*;
use crate::testing::{FixedClock, NOW, XorBox};
use crate::{AppError, ClientInfo};

const ME: Actor = Actor {
    user_id: UserId(7),
    role: Role::User,
};
const TOKEN: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
const DOOR: IntercomId = IntercomId(1001);

#[derive(Default)]
struct M {
    links: MockGuestLinkStore,
    templates: MockGuestTemplateStore,
    accounts: MockRingAccountStore,
    gateway: MockIntercomGateway,
    audit: MockUnlockAuditStore,
}

impl M {
    fn service(self) -> GuestService {
        let mut random = MockRandomSource::new();
        random.expect_token().returning(|| TOKEN.into());
        GuestService::new(
            GuestPorts {
                links: Arc::new(self.links),
                templates: Arc::new(self.templates),
                accounts: Arc::new(self.accounts),
                gateway: Arc::new(self.gateway),
                audit: Arc::new(self.audit),
                secret_box: Arc::new(XorBox),
                clock: Arc::new(FixedClock(NOW)),
                random: Arc::new(random),
            },
            GuestLinkPolicy::default(),
        )
    }

    fn my_account_with_door(&mut self) {
        self.accounts
            .expect_get_ring_account()
            .withf(|id, user| *id == RingAccountId(3) && *user == ME.user_id)
            .returning(|_, _| Ok(account()));
        self.gateway.expect_intercoms().returning(|_| {
            Ok(vec![IntercomInfo {
                id: DOOR,
                name: "Front door".into(),
                location_id: None,
                battery_percent: None,
                online: Some(true),
                firmware: None,
            }])
        });
    }

    /// Every audit row is checked by `check`, and there is exactly one.
    fn audited(&mut self, check: impl Fn(&latchkey_ports::NewUnlockEvent) -> bool + Send + 'static) {
        self.audit
            .expect_record_unlock()
            .times(1)
            .withf(move |e| check(e))
            .returning(|_| Ok(()));
    }
}

fn account() -> RingAccount {
    RingAccount {
        id: RingAccountId(3),
        user_id: ME.user_id,
        label: AccountLabel::parse("Home").unwrap(),
        is_default: true,
        hardware_id: "hw".into(),
        status: RingLinkStatus::Linked,
        created_at: NOW,
        updated_at: NOW,
    }
}

fn link(max_uses: Option<u32>, uses: u32) -> GuestLink {
    GuestLink {
        id: GuestLinkId(11),
        owner_id: ME.user_id,
        ring_account_id: RingAccountId(3),
        intercom_id: DOOR,
        label: Some("Plumber".into()),
        starts_at: NOW - Duration::hours(1),
        expires_at: NOW + Duration::hours(1),
        max_uses,
        uses,
        disabled: false,
        created_at: NOW - Duration::hours(2),
    }
}

fn create(expires_in: Duration) -> CreateLink {
    CreateLink {
        label: Some(" Plumber ".into()),
        intercom_id: Some(DOOR),
        ring_account_id: Some(RingAccountId(3)),
        starts_at: Some(NOW),
        expires_at: Some(NOW + expires_in),
        max_uses: Some(2),
        template_id: None,
    }
}

fn client() -> ClientInfo {
    ClientInfo {
        ip: Some("198.51.100.7".into()),
        user_agent: Some("phone".into()),
    }
}

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
    m.links.expect_list_guest_links().returning(move |_| {
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
    let views = m.service().links(ME).await.unwrap();
    assert_eq!(views.len(), 2);
    assert_eq!(views[0].token.as_ref().map(GuestToken::expose), Some(TOKEN));
    assert_eq!(views[0].state, GuestLinkState::UsedUp);
    assert!(views[1].token.is_none());
}

#[tokio::test]
async fn unlock_opens_once_and_audits_the_link_never_the_token() {
    let mut m = M::default();
    m.links
        .expect_reserve_guest_use()
        .withf(|hash, now| hash == GuestToken::new(TOKEN).hash() && *now == NOW)
        .times(1)
        .returning(|_, _| Ok(Reservation::Reserved(link(Some(5), 1))));
    m.accounts
        .expect_get_ring_account()
        .withf(|id, owner| *id == RingAccountId(3) && *owner == ME.user_id)
        .returning(|_, _| Ok(account()));
    m.gateway
        .expect_unlock()
        .times(1)
        .withf(|_, door| *door == DOOR)
        .returning(|_, _| Ok(()));
    m.links.expect_release_guest_use().never();
    m.audited(|e| {
        e.actor == UnlockActor::Guest { link_id: Some(11) }
            && e.outcome == UnlockOutcome::Opened
            && e.owner_id == Some(ME.user_id)
            && e.ip.as_deref() == Some("198.51.100.7")
            && e.user_agent.as_deref() == Some("phone")
            && e.error_code.is_none()
    });
    m.service()
        .unlock(&GuestToken::new(TOKEN), client())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_ring_failure_gives_the_use_back() {
    for (door_may_have_opened, outcome) in [(false, UnlockOutcome::Failed), (true, UnlockOutcome::Unknown)] {
        let mut m = M::default();
        m.links
            .expect_reserve_guest_use()
            .returning(|_, _| Ok(Reservation::Reserved(link(Some(1), 1))));
        m.accounts
            .expect_get_ring_account()
            .returning(|_, _| Ok(account()));
        m.gateway.expect_unlock().times(1).returning(move |_, _| {
            Err(UnlockFailure {
                error: GatewayError::Timeout,
                door_may_have_opened,
            })
        });
        m.links
            .expect_release_guest_use()
            .withf(|id| *id == GuestLinkId(11))
            .times(1)
            .returning(|_| Ok(()));
        m.audited(move |e| e.outcome == outcome && e.error_code.as_deref() == Some("ring_timeout"));
        let err = m
            .service()
            .unlock(&GuestToken::new(TOKEN), client())
            .await
            .unwrap_err();
        assert_eq!(err, AppError::Ring(GatewayError::Timeout));
    }
}

#[tokio::test]
async fn refused_links_say_why_and_never_reach_ring() {
    let mut expired = link(None, 0);
    expired.expires_at = NOW;
    let mut pending = link(None, 0);
    pending.starts_at = NOW + Duration::minutes(1);
    // Looks active but the store refused: its owner or account is gone.
    let cases = [
        (expired, GuestUnlockRefusal::Expired),
        (pending, GuestUnlockRefusal::NotYetActive),
        (link(Some(3), 3), GuestUnlockRefusal::UsedUp),
        (link(None, 0), GuestUnlockRefusal::Disabled),
    ];
    for (l, refusal) in cases {
        let mut m = M::default();
        m.links
            .expect_reserve_guest_use()
            .returning(move |_, _| Ok(Reservation::Refused(l.clone())));
        m.audited(move |e| {
            e.actor == UnlockActor::Guest { link_id: Some(11) }
                && e.outcome == UnlockOutcome::Failed
                && e.error_code.as_deref() == Some(refusal.code())
        });
        let err = m
            .service()
            .unlock(&GuestToken::new(TOKEN), client())
            .await
            .unwrap_err();
        assert_eq!(err, AppError::GuestUnlockRefused(refusal));
    }
}

#[tokio::test]
async fn unknown_and_malformed_tokens_are_not_found_and_still_audited() {
    let mut m = M::default();
    m.links
        .expect_reserve_guest_use()
        .times(1)
        .returning(|_, _| Ok(Reservation::Unknown));
    m.audit
        .expect_record_unlock()
        .times(2)
        .withf(|e| {
            e.actor == UnlockActor::Guest { link_id: None } && e.error_code.as_deref() == Some("not_found")
        })
        .returning(|_| Ok(()));
    let s = m.service();
    let not_found = AppError::NotFound {
        resource: "guest link",
    };
    assert_eq!(
        s.unlock(&GuestToken::new(TOKEN), client()).await.unwrap_err(),
        not_found
    );
    // Malformed: answered without asking the store.
    assert_eq!(
        s.unlock(&GuestToken::new("short"), client()).await.unwrap_err(),
        not_found
    );
}

#[tokio::test]
async fn an_account_deleted_after_the_reservation_gives_the_use_back() {
    let mut m = M::default();
    m.links
        .expect_reserve_guest_use()
        .returning(|_, _| Ok(Reservation::Reserved(link(None, 1))));
    m.accounts
        .expect_get_ring_account()
        .returning(|_, _| Err(StoreError::NotFound));
    m.gateway.expect_unlock().never();
    m.links.expect_release_guest_use().times(1).returning(|_| Ok(()));
    m.audited(|e| e.error_code.as_deref() == Some("link_disabled"));
    let err = m
        .service()
        .unlock(&GuestToken::new(TOKEN), client())
        .await
        .unwrap_err();
    assert_eq!(err, AppError::GuestUnlockRefused(GuestUnlockRefusal::Disabled));
}

#[tokio::test]
async fn rate_limited_attempts_are_audited_without_a_lookup() {
    let mut m = M::default();
    m.audited(|e| {
        e.actor == UnlockActor::Guest { link_id: None } && e.error_code.as_deref() == Some("rate_limited")
    });
    m.service().record_rate_limited(client()).await;
}

#[tokio::test]
async fn view_never_takes_a_use() {
    let mut m = M::default();
    m.links
        .expect_find_guest_link_by_token()
        .returning(|_| Ok(Some(link(Some(2), 1))));
    m.links.expect_reserve_guest_use().never();
    let v = m.service().view(&GuestToken::new(TOKEN)).await.unwrap();
    assert_eq!(v.state, GuestLinkState::Active);
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
