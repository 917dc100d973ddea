//! `unlock`: sent once, never retried, failures mapped with whether the door may have opened.

use latchkey_domain::IntercomId;
use latchkey_ports::{GatewayError, IntercomGateway, UnlockFailure};
use latchkey_ring_sim::{Endpoint, Fault};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn unlock_opens_the_door_once() {
    let sim = start();
    let (vault, _) = linked_vault(&sim);
    gateway(&sim, &vault)
        .unlock(&account(), IntercomId(DOOR))
        .await
        .unwrap();
    let counters = sim.handle().counters();
    assert_eq!(counters.unlock_calls(DOOR), 1);
    assert_eq!(counters.doors_opened(DOOR), 1);
}

#[tokio::test]
async fn failed_unlocks_are_mapped_and_never_retried() {
    let cases = [
        (Fault::status(500), GatewayError::Unavailable, false),
        (Fault::status(503), GatewayError::Unavailable, false),
        (
            Fault::status(429).with_header("Retry-After", "9"),
            GatewayError::RateLimited { retry_after_secs: 9 },
            false,
        ),
        (
            Fault::status(422).with_body(" ", "text/plain"),
            GatewayError::DeviceRejected,
            false,
        ),
        (
            Fault::json(200, &json!({"id": null, "jsonrpc": "2.0", "result": {"code": 2}})),
            GatewayError::DeviceRejected,
            false,
        ),
        (
            Fault::json(401, &json!({"error": "Unauthorized"})),
            GatewayError::Unavailable,
            false,
        ),
        (Fault::hang(), GatewayError::Timeout, true),
        (Fault::drop_connection(), GatewayError::Unavailable, true),
    ];
    for (fault, error, door_may_have_opened) in cases {
        let sim = start();
        let (vault, _) = linked_vault(&sim);
        sim.handle().inject(Endpoint::Unlock, fault);
        let failure = gateway(&sim, &vault)
            .unlock(&account(), IntercomId(DOOR))
            .await
            .unwrap_err();
        assert_eq!(
            failure,
            UnlockFailure {
                error: error.clone(),
                door_may_have_opened
            }
        );
        assert_eq!(
            sim.handle().unlock_calls(DOOR),
            1,
            "unlock retried after {error:?}"
        );
        assert_eq!(sim.handle().counters().doors_opened(DOOR), 0);
    }
}

#[tokio::test]
async fn offline_and_unknown_intercoms() {
    let sim = start();
    let (vault, _) = linked_vault(&sim);
    let gateway = gateway(&sim, &vault);
    let offline = gateway.unlock(&account(), IntercomId(GATE)).await.unwrap_err();
    assert_eq!(offline.error, GatewayError::DeviceOffline);
    assert!(!offline.door_may_have_opened);
    let unknown = gateway.unlock(&account(), IntercomId(42)).await.unwrap_err();
    assert_eq!(unknown.error, GatewayError::DeviceNotFound);
    assert_eq!(sim.handle().unlock_calls(GATE), 1);
    assert_eq!(sim.handle().unlock_calls(42), 1);
}

#[tokio::test]
async fn a_refused_token_fails_the_unlock_before_sending_and_marks_the_account() {
    let sim = start();
    let (vault, _) = linked_vault(&sim);
    let gateway = gateway(&sim, &vault);
    sim.handle().revoke_refresh_tokens(EMAIL).unwrap();
    let failure = gateway.unlock(&account(), IntercomId(DOOR)).await.unwrap_err();
    assert_eq!(
        failure,
        UnlockFailure {
            error: GatewayError::NeedsRelink,
            door_may_have_opened: false
        }
    );
    assert_eq!(vault.relink_marks(), vec![account().id]);
    assert_eq!(sim.handle().unlock_calls(DOOR), 0);
}
