//! Failure injection, counters and recorded requests.

use std::time::{Duration, Instant};

use latchkey_ring_sim::{Endpoint, Fault};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn status_fault_applies_n_times_and_still_counts_unlock_calls() {
    let sim = start();
    let token = access_token_with_session(&sim).await;
    sim.handle()
        .inject_times(Endpoint::Unlock, Fault::json(500, &json!({"error": "boom"})), 1);
    let failed = unlock(&sim, &token, DOOR).await;
    assert_eq!(failed.status(), 500);
    assert_eq!(failed.text().await.unwrap(), r#"{"error":"boom"}"#);
    assert_eq!(unlock(&sim, &token, DOOR).await.status(), 200);
    let counters = sim.handle().counters();
    assert_eq!(counters.unlock_calls(DOOR), 2);
    assert_eq!(counters.doors_opened(DOOR), 1);
}

#[tokio::test]
async fn fault_headers_are_sent() {
    let sim = start();
    let token = access_token_with_session(&sim).await;
    sim.handle().inject(
        Endpoint::Unlock,
        Fault::status(429).with_header("Retry-After", "7"),
    );
    for _ in 0..2 {
        let response = unlock(&sim, &token, DOOR).await;
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "7");
    }
    sim.handle().clear_faults(Endpoint::Unlock);
    assert_eq!(unlock(&sim, &token, DOOR).await.status(), 200);
}

#[tokio::test]
async fn latency_fault_delays_the_normal_answer() {
    let sim = start();
    let token = access_token(&sim, EMAIL).await;
    sim.handle()
        .inject_times(Endpoint::Locations, Fault::latency(Duration::from_millis(300)), 1);
    let started = Instant::now();
    assert_eq!(api_get(&sim, &token, "/devices/v1/locations").await.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn hang_fault_never_answers_until_the_client_gives_up() {
    let sim = start();
    let token = access_token_with_session(&sim).await;
    sim.handle().inject(Endpoint::Unlock, Fault::hang());
    let client = reqwest::Client::builder()
        .user_agent(UA)
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let error = client
        .put(format!(
            "{}/commands/v1/devices/{DOOR}/device_rpc",
            sim.base_url()
        ))
        .bearer_auth(&token)
        .header("hardware_id", HID)
        .json(&unlock_body())
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout());
    assert_eq!(sim.handle().unlock_calls(DOOR), 1);
    assert_eq!(sim.handle().counters().doors_opened(DOOR), 0);
}

#[tokio::test]
async fn token_faults_apply_after_grants_are_counted() {
    let sim = start();
    sim.handle().inject_times(Endpoint::Token, Fault::blocked(), 1);
    let blocked = password_grant(&sim, EMAIL, PASSWORD, "").await;
    assert_eq!(blocked.status(), 406);
    assert!(blocked.text().await.unwrap().contains("openresty"));
    assert_eq!(sim.handle().counters().password_grants, 1);
    assert_eq!(password_grant(&sim, EMAIL, PASSWORD, "").await.status(), 200);
}

#[tokio::test]
async fn stop_releases_hanging_requests() {
    let sim = start();
    let token = access_token(&sim, EMAIL).await;
    sim.handle().inject(Endpoint::Locations, Fault::hang());
    let url = format!("{}/devices/v1/locations", sim.base_url());
    let pending = tokio::spawn(async move {
        http()
            .get(url)
            .bearer_auth(token)
            .header("hardware_id", HID)
            .send()
            .await
            .map(|r| r.status())
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    sim.stop().await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    // Either a 503 or a closed connection: never a success.
    if let Ok(status) = pending.await.unwrap() {
        assert_eq!(status, 503);
    }
}

#[tokio::test]
async fn requests_are_recorded_with_headers_and_sequence() {
    let sim = start();
    let before = sim.handle().next_request_seq();
    let _ = password_grant(&sim, EMAIL, PASSWORD, "").await;
    let recorded = sim.handle().requests_to(Endpoint::Token);
    assert_eq!(recorded.len(), 1);
    let request = &recorded[0];
    assert!(request.seq >= before);
    assert_eq!(request.method, "POST");
    assert_eq!(request.header("hardware_id"), Some(HID));
    assert_eq!(request.header("2fa-support"), Some("true"));
    assert_eq!(request.json_body().unwrap()["grant_type"], "password");
    assert!(!format!("{request:?}").contains(PASSWORD));
    sim.handle().reset_counters();
    assert!(sim.handle().requests().is_empty());
    assert_eq!(sim.handle().counters().password_grants, 0);
}

#[tokio::test]
async fn drop_fault_closes_the_connection_without_a_complete_answer() {
    let sim = start();
    let token = access_token_with_session(&sim).await;
    sim.handle()
        .inject_times(Endpoint::Unlock, Fault::drop_connection(), 1);
    let sent = http()
        .put(format!(
            "{}/commands/v1/devices/{DOOR}/device_rpc",
            sim.base_url()
        ))
        .bearer_auth(&token)
        .header("hardware_id", HID)
        .json(&unlock_body())
        .send()
        .await;
    let complete = match sent {
        Ok(response) => response.json::<serde_json::Value>().await.is_ok(),
        Err(error) => {
            assert!(!error.is_timeout() && !error.is_connect(), "{error}");
            false
        }
    };
    assert!(!complete, "a dropped answer must not be a complete body");
    assert_eq!(sim.handle().unlock_calls(DOOR), 1);
    assert_eq!(unlock(&sim, &token, DOOR).await.status(), 200);
}

#[tokio::test]
async fn handle_debug_shows_no_tokens() {
    let sim = start();
    let refresh = sim.handle().issue_refresh_token(EMAIL).unwrap();
    let debug = format!("{sim:?} {:?}", sim.handle());
    assert!(!debug.contains(&refresh));
    assert!(!debug.contains(PASSWORD));
}
