//! Shared fixtures: a simulator with one account per 2FA mode, and request helpers.

use std::time::Duration;

use latchkey_ring_sim::{AccountSpec, DeviceSpec, RingSimulator, RunningSim, SimConfig, TwoFactorSpec};
use serde_json::{Value, json};

pub const EMAIL: &str = "plain@example.com";
pub const PASSWORD: &str = "plain-password";
pub const SMS_EMAIL: &str = "sms@example.com";
pub const EMAIL_2FA_EMAIL: &str = "mail@example.com";
pub const TOTP_EMAIL: &str = "totp@example.com";
pub const CODE: &str = "123456";
pub const DOOR: i64 = 185_036_587;
pub const VIDEO_DOOR: i64 = 185_036_588;
pub const OTHER_ACCOUNT_DOOR: i64 = 185_036_599;
pub const HID: &str = "0a1b2c3d-0000-5000-8000-000000000000";
pub const UA: &str = "android:com.ringapp";

pub fn config() -> SimConfig {
    SimConfig::default()
        .with_account(
            AccountSpec::new(EMAIL, PASSWORD)
                .with_device(DeviceSpec::intercom(DOOR, "Front door"))
                .with_device(DeviceSpec::intercom(VIDEO_DOOR, "Gate").with_kind("intercom_handset_video")),
        )
        .with_account(
            AccountSpec::new(SMS_EMAIL, PASSWORD)
                .with_two_factor(TwoFactorSpec::sms(CODE, "+15555551289"))
                .with_device(DeviceSpec::intercom(OTHER_ACCOUNT_DOOR, "Not yours")),
        )
        .with_account(AccountSpec::new(EMAIL_2FA_EMAIL, PASSWORD).with_two_factor(TwoFactorSpec::email(CODE)))
        .with_account(AccountSpec::new(TOTP_EMAIL, PASSWORD).with_two_factor(TwoFactorSpec::totp(CODE)))
}

pub fn start() -> RunningSim {
    start_with(config())
}

pub fn start_with(config: SimConfig) -> RunningSim {
    RingSimulator::start(config).expect("simulator starts")
}

/// A client that sends the Ring app user agent, with a short timeout.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(UA)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// ring-client-api style password grant.
pub async fn password_grant(sim: &RunningSim, email: &str, password: &str, code: &str) -> reqwest::Response {
    http()
        .post(format!("{}/oauth/token", sim.base_url()))
        .header("2fa-support", "true")
        .header("2fa-code", code)
        .header("hardware_id", HID)
        .json(&json!({
            "client_id": "ring_official_android", "scope": "client",
            "grant_type": "password", "username": email, "password": password
        }))
        .send()
        .await
        .unwrap()
}

pub async fn refresh_grant(sim: &RunningSim, refresh_token: &str) -> reqwest::Response {
    http()
        .post(format!("{}/oauth/token", sim.base_url()))
        .header("hardware_id", HID)
        .json(&json!({
            "client_id": "ring_official_android", "scope": "client",
            "grant_type": "refresh_token", "refresh_token": refresh_token
        }))
        .send()
        .await
        .unwrap()
}

/// An access token for `email` (without the password flow).
pub async fn access_token(sim: &RunningSim, email: &str) -> String {
    let refresh = sim.handle().issue_refresh_token(email).unwrap();
    let body: Value = refresh_grant(sim, &refresh).await.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// An access token whose hardware id already has a session.
pub async fn access_token_with_session(sim: &RunningSim) -> String {
    let token = access_token(sim, EMAIL).await;
    let response = create_session(sim, &token, HID).await;
    assert_eq!(response.status(), 200);
    token
}

pub async fn create_session(sim: &RunningSim, token: &str, hardware_id: &str) -> reqwest::Response {
    http()
        .post(format!("{}/clients_api/session", sim.base_url()))
        .bearer_auth(token)
        .json(&json!({"device": {"hardware_id": hardware_id,
            "metadata": {"api_version": 11, "device_model": "latchkey-test"}, "os": "android"}}))
        .send()
        .await
        .unwrap()
}

/// An authenticated API GET with the hardware id header.
pub async fn api_get(sim: &RunningSim, token: &str, path: &str) -> reqwest::Response {
    http()
        .get(format!("{}{path}", sim.base_url()))
        .bearer_auth(token)
        .header("hardware_id", HID)
        .send()
        .await
        .unwrap()
}

pub fn unlock_body() -> Value {
    json!({"command_name": "device_rpc",
           "request": {"jsonrpc": "2.0", "method": "unlock_door", "params": {"door_id": 0, "user_id": 0}}})
}

pub async fn unlock(sim: &RunningSim, token: &str, device_id: i64) -> reqwest::Response {
    http()
        .put(format!(
            "{}/commands/v1/devices/{device_id}/device_rpc",
            sim.base_url()
        ))
        .bearer_auth(token)
        .header("hardware_id", HID)
        .json(&unlock_body())
        .send()
        .await
        .unwrap()
}
