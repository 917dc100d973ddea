//! Use-case tests of guest links with mocked ports: fixtures here, cases by theme.

mod links;
mod unlock;

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
    GatewayError, IntercomInfo, LinkSlice, OwnedGuestLink, PendingUnlock, Reservation, SecretBox, StoreError,
    UnlockFailure,
};
use time::Duration;

pub(super) use super::token::seal_context;
pub(super) use super::*;
use crate::testing::{FixedClock, NOW, XorBox};
use crate::{AppError, ClientInfo};

pub(super) const ME: Actor = Actor {
    user_id: UserId(7),
    role: Role::User,
};
pub(super) const TOKEN: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
pub(super) const DOOR: IntercomId = IntercomId(1001);
/// The audit row the store wrote with a reservation.
pub(super) const PENDING: PendingUnlock = PendingUnlock(21);

#[derive(Default)]
pub(super) struct M {
    pub links: MockGuestLinkStore,
    pub templates: MockGuestTemplateStore,
    pub accounts: MockRingAccountStore,
    pub gateway: MockIntercomGateway,
    pub audit: MockUnlockAuditStore,
}

impl M {
    pub(super) fn service(self) -> GuestService {
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

    pub(super) fn my_account_with_door(&mut self) {
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

    /// The attempt took a use, so its row was written with the reservation: it is
    /// settled exactly once, as `check` wants, and no other row is written.
    pub(super) fn settled(
        &mut self,
        check: impl Fn(PendingUnlock, UnlockOutcome, Option<&str>) -> bool + Send + 'static,
    ) {
        self.audit
            .expect_settle_unlock()
            .times(1)
            .withf(move |pending, outcome, code| check(*pending, *outcome, code.as_deref()))
            .returning(|_, _, _| Ok(()));
        self.audit.expect_record_unlock().never();
    }

    /// Every audit row is checked by `check`, and there is exactly one.
    pub(super) fn audited(
        &mut self,
        check: impl Fn(&latchkey_ports::NewUnlockEvent) -> bool + Send + 'static,
    ) {
        self.audit
            .expect_record_unlock()
            .times(1)
            .withf(move |e| check(e))
            .returning(|_| Ok(()));
    }
}

pub(super) fn account() -> RingAccount {
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

pub(super) fn link(max_uses: Option<u32>, uses: u32) -> GuestLink {
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

/// The store's answer when it took a use of `link`: the link with its account.
pub(super) fn reserved(link: GuestLink) -> Reservation {
    Reservation::Reserved {
        link,
        account: account(),
        pending: PENDING,
    }
}

pub(super) fn create(expires_in: Duration) -> CreateLink {
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

pub(super) fn client() -> ClientInfo {
    ClientInfo {
        ip: Some("198.51.100.7".into()),
        user_agent: Some("phone".into()),
    }
}
