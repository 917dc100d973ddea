//! `PUT /commands/v1/devices/{id}/device_rpc`: the strict `unlock_door` check.

use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn exact_unlock_request_opens_the_door() {
    let sim = start();
    let token = access_token_with_session(&sim).await;
    let response = unlock(&sim, &token, DOOR).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"id": null, "jsonrpc": "2.0", "result": {"code": 0}}));
    let counters = sim.handle().counters();
    assert_eq!(counters.unlock_calls(DOOR), 1);
    assert_eq!(counters.doors_opened(DOOR), 1);
}

#[tokio::test]
async fn python_client_body_with_request_id_is_echoed() {
    let sim = start();
    let token = access_token_with_session(&sim).await;
    let body = json!({"command_name": "device_rpc", "request": {"id": "req-1", "jsonrpc": "2.0",
        "method": "unlock_door", "params": {"door_id": 0, "user_id": -1}}});
    let response = http()
        .put(format!(
            "{}/commands/v1/devices/{DOOR}/device_rpc",
            sim.base_url()
        ))
        .bearer_auth(&token)
        .header("hardware_id", HID)
        .json(&body)
        .send()
        .await
        .unwrap();
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["id"], "req-1");
    assert_eq!(answer["result"]["code"], 0);
}

#[tokio::test]
async fn malformed_unlocks_get_422_with_a_blank_body() {
    let sim = start();
    let token = access_token_with_session(&sim).await;
    let url = format!("{}/commands/v1/devices/{DOOR}/device_rpc", sim.base_url());
    let wrong_type = http()
        .put(&url)
        .bearer_auth(&token)
        .header("hardware_id", HID)
        .header("content-type", "text/plain")
        .body(unlock_body().to_string())
        .send()
        .await
        .unwrap();
    let no_hardware_id = http()
        .put(&url)
        .bearer_auth(&token)
        .json(&unlock_body())
        .send()
        .await
        .unwrap();
    let mut body = unlock_body();
    body["request"]["method"] = json!("lock_door");
    let wrong_body = http()
        .put(&url)
        .bearer_auth(&token)
        .header("hardware_id", HID)
        .json(&body)
        .send()
        .await
        .unwrap();
    for response in [wrong_type, no_hardware_id, wrong_body] {
        assert_eq!(response.status(), 422);
        assert_eq!(response.text().await.unwrap(), " ");
    }
    let counters = sim.handle().counters();
    assert_eq!(
        counters.unlock_calls(DOOR),
        3,
        "rejected requests still count as calls"
    );
    assert_eq!(counters.doors_opened(DOOR), 0);
}

#[tokio::test]
async fn unlock_needs_token_session_and_own_device() {
    let sim = start();
    assert_eq!(unlock(&sim, "ey_bogus", DOOR).await.status(), 401);
    let token = access_token(&sim, EMAIL).await;
    assert_eq!(unlock(&sim, &token, DOOR).await.status(), 404, "no session yet");
    assert_eq!(create_session(&sim, &token, HID).await.status(), 200);
    let foreign = unlock(&sim, &token, OTHER_ACCOUNT_DOOR).await;
    assert_eq!(foreign.status(), 404);
    assert_eq!(sim.handle().counters().doors_opened(OTHER_ACCOUNT_DOOR), 0);
}

#[tokio::test]
async fn offline_intercom_answers_asset_offline() {
    let sim = start();
    let token = access_token_with_session(&sim).await;
    sim.handle().set_device_online(DOOR, false).unwrap();
    let response = unlock(&sim, &token, DOOR).await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"errors": [7019]}));
}
