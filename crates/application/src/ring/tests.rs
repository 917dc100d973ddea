use std::sync::Arc;

use latchkey_domain::{
    AccountLabel, Actor, IntercomId, RingAccount, RingAccountId, RingLinkStatus, Role, UnlockOutcome, UserId,
};
use latchkey_ports::device_health::MockDeviceHealthStore;
use latchkey_ports::intercom::MockIntercomGateway;
use latchkey_ports::ring_accounts::MockRingAccountStore;
use latchkey_ports::ring_auth::MockRingAuthAttemptStore;
use latchkey_ports::security::MockRandomSource;
use latchkey_ports::unlock_audit::MockUnlockAuditStore;
use latchkey_ports::users::MockUserStore;
use latchkey_ports::{GatewayError, RingAuthAttempt, Secret, SecretBox, StoreError, UnlockFailure};

use super::*;
use crate::testing::{FixedClock, NOW, XorBox};
use crate::{AppError, ClientInfo};

#[derive(Default)]
struct M {
    accounts: MockRingAccountStore,
    attempts: MockRingAuthAttemptStore,
    audit: MockUnlockAuditStore,
    gateway: MockIntercomGateway,
}

impl M {
    fn service(self) -> RingService {
        let mut random = MockRandomSource::new();
        random.expect_token().returning(|| "random-token".into());
        RingService::new(
            RingPorts {
                users: Arc::new(MockUserStore::new()),
                accounts: Arc::new(self.accounts),
                attempts: Arc::new(self.attempts),
                audit: Arc::new(self.audit),
                health: Arc::new(MockDeviceHealthStore::new()),
                gateway: Arc::new(self.gateway),
                secret_box: Arc::new(XorBox),
                clock: Arc::new(FixedClock(NOW)),
                random: Arc::new(random),
            },
            latchkey_domain::RingAuthPolicy::default(),
        )
    }
}

const ME: Actor = Actor {
    user_id: UserId(7),
    role: Role::User,
};

fn account(id: i64, is_default: bool) -> RingAccount {
    RingAccount {
        id: RingAccountId(id),
        user_id: ME.user_id,
        label: AccountLabel::parse("Home").unwrap(),
        is_default,
        hardware_id: "hw-1".into(),
        status: RingLinkStatus::Linked,
        created_at: NOW,
        updated_at: NOW,
    }
}

fn unlock_req(account: Option<i64>) -> UnlockRequest {
    UnlockRequest {
        intercom: IntercomId(42),
        ring_account_id: account.map(RingAccountId),
        client: ClientInfo {
            ip: Some("192.0.2.1".into()),
            user_agent: None,
        },
    }
}

#[tokio::test]
async fn unlock_uses_the_default_account_and_audits_success() {
    let mut m = M::default();
    m.accounts
        .expect_list_ring_accounts()
        .returning(|_| Ok(vec![account(1, false), account(2, true)]));
    m.gateway
        .expect_unlock()
        .times(1)
        .withf(|a, i| a.id == RingAccountId(2) && *i == IntercomId(42))
        .returning(|_, _| Ok(()));
    m.audit
        .expect_record_unlock()
        .times(1)
        .withf(|e| {
            e.outcome == UnlockOutcome::Opened
                && e.ring_account_id == Some(RingAccountId(2))
                && e.error_code.is_none()
        })
        .returning(|_| Ok(()));
    m.service().unlock(ME, unlock_req(None)).await.unwrap();
}

#[tokio::test]
async fn lost_answer_is_audited_as_unknown_and_not_retried() {
    let mut m = M::default();
    m.accounts
        .expect_get_ring_account()
        .returning(|_, _| Ok(account(1, true)));
    m.gateway.expect_unlock().times(1).returning(|_, _| {
        Err(UnlockFailure {
            error: GatewayError::Timeout,
            door_may_have_opened: true,
        })
    });
    m.audit
        .expect_record_unlock()
        .times(1)
        .withf(|e| e.outcome == UnlockOutcome::Unknown && e.error_code.as_deref() == Some("ring_timeout"))
        .returning(|_| Ok(()));
    let err = m.service().unlock(ME, unlock_req(Some(1))).await.unwrap_err();
    assert_eq!(err, AppError::Ring(GatewayError::Timeout));
}

#[tokio::test]
async fn an_opened_door_is_reported_opened_even_when_its_audit_row_is_lost() {
    let mut m = M::default();
    m.accounts
        .expect_get_ring_account()
        .returning(|_, _| Ok(account(1, true)));
    m.gateway.expect_unlock().times(1).returning(|_, _| Ok(()));
    m.audit
        .expect_record_unlock()
        .times(1)
        .returning(|_| Err(StoreError::Unavailable("connection reset".into())));
    // Not 503: the resident would press again and open the door a second time.
    m.service().unlock(ME, unlock_req(Some(1))).await.unwrap();
}

#[tokio::test]
async fn a_store_outage_before_ring_is_unavailable_not_audited_and_ring_never_called() {
    let mut m = M::default();
    m.accounts
        .expect_get_ring_account()
        .returning(|_, _| Err(StoreError::Unavailable("connection refused".into())));
    m.gateway.expect_unlock().never();
    m.audit.expect_record_unlock().never();
    let err = m.service().unlock(ME, unlock_req(Some(1))).await.unwrap_err();
    assert_eq!(err, AppError::Unavailable);
}

#[tokio::test]
async fn someone_elses_account_is_not_found_audited_and_ring_never_called() {
    let mut m = M::default();
    m.accounts
        .expect_get_ring_account()
        .returning(|_, _| Err(StoreError::NotFound));
    m.gateway.expect_unlock().never();
    m.audit
        .expect_record_unlock()
        .times(1)
        .withf(|e| e.outcome == UnlockOutcome::Failed && e.error_code.as_deref() == Some("not_found"))
        .returning(|_| Ok(()));
    let err = m.service().unlock(ME, unlock_req(Some(99))).await.unwrap_err();
    assert_eq!(
        err,
        AppError::NotFound {
            resource: "ring account"
        }
    );
}

#[tokio::test]
async fn two_factor_start_stores_sealed_credentials_and_counts_the_code() {
    let mut m = M::default();
    m.attempts.expect_count_code_requests().returning(|_, _, _| Ok(0));
    m.gateway
        .expect_log_in()
        .times(1)
        .withf(|_, email, _, code| email == "ada@example.com" && code.is_none())
        .returning(|_, _, _, _| {
            Err(GatewayError::TwoFactorRequired {
                prompt: "Enter the code sent to ••12".into(),
            })
        });
    m.attempts
        .expect_record_code_request()
        .times(1)
        .returning(|_, _, _| Ok(()));
    m.attempts
        .expect_create_ring_auth_attempt()
        .times(1)
        .withf(|a| {
            !a.sealed_credentials.windows(9).any(|w| w == b"hunter2!!")
                && a.expires_at == NOW + time::Duration::minutes(10)
        })
        .returning(|a| {
            Ok(RingAuthAttempt {
                id: 5,
                user_id: a.user_id,
                ring_account_id: a.ring_account_id,
                account_label: a.account_label,
                hardware_id: a.hardware_id,
                sealed_credentials: a.sealed_credentials,
                prompt: a.prompt,
                created_at: a.created_at,
                expires_at: a.expires_at,
            })
        });
    let cmd = StartLink {
        email: " ada@example.com ".into(),
        password: Secret::new("hunter2!!"),
        ring_account_id: None,
        account_label: Some("Home".into()),
    };
    match m.service().start_link(ME, cmd).await.unwrap() {
        LinkOutcome::CodeRequired {
            attempt_id, prompt, ..
        } => {
            assert_eq!(attempt_id, 5);
            assert!(prompt.contains("code"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn too_many_code_requests_stop_before_asking_ring() {
    let mut m = M::default();
    m.attempts.expect_count_code_requests().returning(|_, _, _| Ok(3));
    m.gateway.expect_log_in().never();
    let cmd = StartLink {
        email: "ada@example.com".into(),
        password: Secret::new("pw"),
        ring_account_id: None,
        account_label: None,
    };
    let err = m.service().start_link(ME, cmd).await.unwrap_err();
    assert_eq!(err, AppError::Ring(GatewayError::TwoFactorRateLimited));
}

#[tokio::test]
async fn verify_with_the_code_links_a_new_account_and_deletes_the_credentials() {
    let mut m = M::default();
    let sealed = XorBox
        .seal(
            &super::secrets::encode_credentials("ada@example.com", &Secret::new("hunter2!!")),
            &super::secrets::credentials_aad(ME.user_id, "hw-9"),
        )
        .unwrap();
    m.attempts
        .expect_find_ring_auth_attempt()
        .returning(move |_, _, _| {
            Ok(Some(RingAuthAttempt {
                id: 5,
                user_id: ME.user_id,
                ring_account_id: None,
                account_label: None,
                hardware_id: "hw-9".into(),
                sealed_credentials: sealed.clone(),
                prompt: "p".into(),
                created_at: NOW,
                expires_at: NOW,
            }))
        });
    m.gateway
        .expect_log_in()
        .times(1)
        .withf(|hw, email, pw, code| {
            hw == "hw-9"
                && email == "ada@example.com"
                && pw.expose() == "hunter2!!"
                && code.as_ref().map(Secret::expose) == Some("123456")
        })
        .returning(|_, _, _, _| Ok(Secret::new("refresh-1")));
    m.attempts
        .expect_delete_ring_auth_attempt()
        .times(1)
        .returning(|_| Ok(()));
    m.accounts
        .expect_create_ring_account()
        .times(1)
        .withf(|n| n.hardware_id == "hw-9")
        .returning(|_| Ok(account(3, true)));
    m.accounts
        .expect_save_ring_token()
        .times(1)
        .withf(|_, sealed, status, _| {
            *status == RingLinkStatus::Linked && !sealed.windows(9).any(|w| w == b"refresh-1")
        })
        .returning(|_, _, _, _| Ok(()));
    m.gateway.expect_forget().returning(|_| ());
    m.accounts
        .expect_get_ring_account()
        .returning(|_, _| Ok(account(3, true)));
    match m
        .service()
        .verify_link(ME, 5, &Secret::new("123456"))
        .await
        .unwrap()
    {
        LinkOutcome::Linked {
            refresh_token,
            account,
        } => {
            assert_eq!(refresh_token.expose(), "refresh-1");
            assert_eq!(account.id, RingAccountId(3));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_default_cannot_be_unset_directly() {
    let mut m = M::default();
    m.accounts
        .expect_get_ring_account()
        .returning(|_, _| Ok(account(1, true)));
    m.accounts.expect_update_ring_account().never();
    let err = m
        .service()
        .update_account(ME, RingAccountId(1), None, Some(false))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        AppError::Validation {
            field: "isDefault",
            ..
        }
    ));
}
