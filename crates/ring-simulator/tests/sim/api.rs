//! Sessions, devices, locations and health.

use latchkey_ring_sim::{DEFAULT_LOCATION_ID, Endpoint};
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn api_calls_without_a_session_get_the_404_naming_the_hardware_id() {
    let sim = start();
    let token = access_token(&sim, EMAIL).await;
    let response = api_get(&sim, &token, "/clients_api/ring_devices").await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"error": format!("Session not found for {HID}")}));

    let session = create_session(&sim, &token, HID).await;
    assert_eq!(session.status(), 200);
    let profile: Value = session.json().await.unwrap();
    assert_eq!(profile["profile"]["email"], EMAIL);
    assert_eq!(sim.handle().counters().sessions_created, 1);
    assert!(sim.handle().has_session(EMAIL, HID).unwrap());
    assert_eq!(
        api_get(&sim, &token, "/clients_api/ring_devices").await.status(),
        200
    );
}

#[tokio::test]
async fn session_needs_a_hardware_id_in_the_body() {
    let sim = start();
    let token = access_token(&sim, EMAIL).await;
    let response = http()
        .post(format!("{}/clients_api/session", sim.base_url()))
        .bearer_auth(&token)
        .json(&json!({"device": {"os": "android"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(sim.handle().counters().sessions_created, 0);
}

#[tokio::test]
async fn devices_list_every_key_with_intercoms_under_other() {
    let sim = start();
    let token = access_token_with_session(&sim).await;
    let body: Value = api_get(&sim, &token, "/clients_api/ring_devices")
        .await
        .json()
        .await
        .unwrap();
    for key in [
        "doorbots",
        "authorized_doorbots",
        "chimes",
        "stickup_cams",
        "base_stations",
        "beams_bridges",
    ] {
        assert_eq!(body[key], json!([]), "{key}");
    }
    let other = body["other"].as_array().unwrap();
    assert_eq!(other.len(), 2);
    assert_eq!(other[0]["id"], DOOR);
    assert_eq!(other[0]["kind"], "intercom_handset_audio");
    assert_eq!(other[0]["battery_life"], "100");
    assert_eq!(other[0]["firmware_version"], "Up to Date");
    assert_eq!(other[0]["alerts"]["connection"], "online");
    assert_eq!(other[0]["location_id"], DEFAULT_LOCATION_ID);
    assert_eq!(other[1]["kind"], "intercom_handset_video");

    sim.handle().set_device_online(DOOR, false).unwrap();
    let body: Value = api_get(&sim, &token, "/clients_api/ring_devices")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["other"][0]["alerts"]["connection"], "offline");
}

#[tokio::test]
async fn locations_need_a_token_but_no_session() {
    let sim = start();
    let token = access_token(&sim, EMAIL).await;
    let response = api_get(&sim, &token, "/devices/v1/locations").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user_locations"][0]["location_id"], DEFAULT_LOCATION_ID);
    assert_eq!(body["user_locations"][0]["name"], "Home");
}

#[tokio::test]
async fn unknown_and_expired_tokens_get_401() {
    let sim = start();
    assert_eq!(
        api_get(&sim, "ey_not_a_token", "/devices/v1/locations")
            .await
            .status(),
        401
    );
    let token = access_token_with_session(&sim).await;
    sim.handle().expire_access_tokens();
    let response = api_get(&sim, &token, "/clients_api/ring_devices").await;
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"error": "Unauthorized", "status_code": 401}));
}

#[tokio::test]
async fn expired_sessions_answer_like_missing_ones() {
    let sim = start_with(config().with_session_ttl_secs(0));
    let token = access_token(&sim, EMAIL).await;
    assert_eq!(create_session(&sim, &token, HID).await.status(), 200);
    assert_eq!(
        api_get(&sim, &token, "/clients_api/ring_devices").await.status(),
        404
    );
}

#[tokio::test]
async fn health_of_own_device_and_404_for_others() {
    let sim = start();
    let token = access_token_with_session(&sim).await;
    let response = api_get(&sim, &token, &format!("/clients_api/doorbots/{DOOR}/health")).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["device_health"]["id"], DOOR);
    assert_eq!(body["device_health"]["battery_percentage"], 100);
    assert_eq!(body["device_health"]["latest_signal_strength"], -58);
    let other = api_get(
        &sim,
        &token,
        &format!("/clients_api/doorbots/{OTHER_ACCOUNT_DOOR}/health"),
    )
    .await;
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn unknown_paths_are_404_and_counted_as_other() {
    let sim = start();
    let response = http()
        .get(format!("{}/clients_api/profile", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(sim.handle().counters().requests_to(Endpoint::Other), 1);
}
