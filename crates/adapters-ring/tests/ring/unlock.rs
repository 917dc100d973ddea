//! Unlock: exact request, success only on result.code 0, never retried.

use latchkey_ring::{ApiAuth, RingError, RingSecret};
use latchkey_ring_sim::{Endpoint, Fault};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn unlock_sends_the_exact_rpc_and_succeeds_on_code_zero() {
    let sim = start();
    let sink = RecordingSink::new(&sim);
    let account = account(&sim, sink);
    let ack = account.unlock(door()).await.unwrap();
    assert_eq!(ack.request_id, None);

    let counters = sim.handle().counters();
    assert_eq!(counters.unlock_calls(DOOR), 1);
    assert_eq!(counters.doors_opened(DOOR), 1);
    assert_eq!(
        counters.sessions_created, 1,
        "a session is made before the first unlock"
    );
    let request = &sim.handle().requests_to(Endpoint::Unlock)[0];
    assert_eq!(request.method, "PUT");
    assert_eq!(request.path, format!("/commands/v1/devices/{DOOR}/device_rpc"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("hardware_id"), Some(HID));
    assert_eq!(request.header("user-agent"), Some("android:com.ringapp"));
    assert!(request.bearer_token().is_some());
    assert_eq!(
        request.json_body().unwrap(),
        json!({"command_name": "device_rpc",
               "request": {"jsonrpc": "2.0", "method": "unlock_door", "params": {"door_id": 0, "user_id": 0}}})
    );

    // A second unlock reuses the known session.
    account.unlock(door()).await.unwrap();
    assert_eq!(sim.handle().counters().sessions_created, 1);
}

#[tokio::test]
async fn failed_unlocks_are_never_retried() {
    let cases = [
        (Fault::status(500), RingError::Unavailable { status: 500 }),
        (Fault::status(503), RingError::Unavailable { status: 503 }),
        (
            Fault::status(429).with_header("Retry-After", "9"),
            RingError::RateLimited {
                retry_after: Some(std::time::Duration::from_secs(9)),
            },
        ),
        (
            Fault::status(422).with_body(" ", "text/plain"),
            RingError::Unprocessable,
        ),
        (Fault::hang(), RingError::Timeout),
        (
            Fault::json(401, &json!({"error": "Unauthorized", "status_code": 401})),
            RingError::Unauthorized,
        ),
        (
            Fault::json(404, &json!({"error": format!("Session not found for {HID}")})),
            RingError::SessionNotFound,
        ),
        (
            Fault::json(200, &json!({"id": null, "jsonrpc": "2.0", "result": {"code": 2}})),
            RingError::DeviceRejected { code: 2 },
        ),
    ];
    for (fault, expected) in cases {
        let sim = start();
        let account = account(&sim, RecordingSink::new(&sim));
        sim.handle().inject(Endpoint::Unlock, fault);
        let error = account.unlock(door()).await.unwrap_err();
        assert_eq!(error.error, expected);
        assert!(error.sent);
        assert_eq!(error.door_may_have_opened(), expected == RingError::Timeout);
        assert_eq!(
            sim.handle().unlock_calls(DOOR),
            1,
            "unlock retried after {expected:?}"
        );
        assert_eq!(
            sim.handle().counters().refresh_grants,
            1,
            "no refresh-and-retry after {expected:?}"
        );
    }
}

#[tokio::test]
async fn after_an_unlock_401_the_next_call_refreshes() {
    let sim = start();
    let account = account(&sim, RecordingSink::new(&sim));
    sim.handle().inject_times(
        Endpoint::Unlock,
        Fault::json(401, &json!({"error": "Unauthorized"})),
        1,
    );
    assert_eq!(
        account.unlock(door()).await.unwrap_err().error,
        RingError::Unauthorized
    );
    account.unlock(door()).await.unwrap();
    let counters = sim.handle().counters();
    assert_eq!(counters.refresh_grants, 2);
    assert_eq!(counters.unlock_calls(DOOR), 2);
}

#[tokio::test]
async fn offline_intercom_and_unknown_device() {
    let sim = start();
    let account = account(&sim, RecordingSink::new(&sim));
    sim.handle().set_device_online(DOOR, false).unwrap();
    assert_eq!(
        account.unlock(door()).await.unwrap_err().error,
        RingError::DeviceOffline
    );
    let unknown = account
        .unlock(latchkey_ring::DeviceId::new(42))
        .await
        .unwrap_err();
    assert_eq!(unknown.error, RingError::NotFound);
}

#[tokio::test]
async fn failures_before_sending_are_marked_not_sent() {
    let sim = start();
    let relink = account(&sim, RecordingSink::new(&sim));
    sim.handle().revoke_refresh_tokens(EMAIL).unwrap();
    let error = relink.unlock(door()).await.unwrap_err();
    assert_eq!(error.error, RingError::NeedsRelink);
    assert!(!error.sent && !error.door_may_have_opened());

    let sim = start();
    let account = account(&sim, RecordingSink::new(&sim));
    sim.handle().inject(Endpoint::Session, Fault::hang());
    let error = account.unlock(door()).await.unwrap_err();
    assert_eq!(error.error, RingError::Timeout);
    assert!(
        !error.sent && !error.door_may_have_opened(),
        "the session timed out, not the unlock"
    );
    assert_eq!(sim.handle().unlock_calls(DOOR), 0);
}

#[tokio::test]
async fn low_level_unlock_rejects_nonzero_codes() {
    let sim = start();
    with_ring_session(&sim);
    let client = client(&sim);
    let refresh = RingSecret::from(sim.handle().issue_refresh_token(EMAIL).unwrap());
    let token = client.refresh_grant(&hid(), &refresh).await.unwrap().access_token;
    let hid = hid();
    let auth = ApiAuth {
        hardware_id: &hid,
        access_token: &token,
    };
    assert!(client.unlock(&auth, door()).await.is_ok());
    sim.handle()
        .inject_times(Endpoint::Unlock, Fault::json(200, &json!({"result": {}})), 1);
    assert!(matches!(
        client.unlock(&auth, door()).await,
        Err(RingError::UnexpectedResponse { .. })
    ));
    assert_eq!(sim.handle().unlock_calls(DOOR), 2);
}

#[tokio::test]
async fn dropped_connection_means_the_door_may_have_opened() {
    let sim = start();
    let account = account(&sim, RecordingSink::new(&sim));
    sim.handle().inject(Endpoint::Unlock, Fault::drop_connection());
    let error = account.unlock(door()).await.unwrap_err();
    assert!(matches!(error.error, RingError::Network { .. }), "{error:?}");
    assert!(error.sent && error.door_may_have_opened());
    assert_eq!(sim.handle().unlock_calls(DOOR), 1);
}
