//! Low-level API calls: request headers, parsing, and the status → error mapping.

use std::time::Duration;

use latchkey_ring::{ApiAuth, IntercomKind, RingClient, RingError, RingSecret};
use latchkey_ring_sim::{DEFAULT_LOCATION_ID, Endpoint, Fault, RunningSim};
use serde_json::json;

use crate::support::*;

async fn token(sim: &RunningSim, client: &RingClient) -> RingSecret {
    let refresh = RingSecret::from(sim.handle().issue_refresh_token(EMAIL).unwrap());
    client.refresh_grant(&hid(), &refresh).await.unwrap().access_token
}

#[tokio::test]
async fn session_404_then_create_session_then_devices() {
    let sim = start();
    let client = client(&sim);
    let token = token(&sim, &client).await;
    let hid = hid();
    let auth = ApiAuth {
        hardware_id: &hid,
        access_token: &token,
    };
    assert_eq!(
        client.devices(&auth).await.unwrap_err(),
        RingError::SessionNotFound
    );

    client.create_session(&auth).await.unwrap();
    let session = &sim.handle().requests_to(Endpoint::Session)[0];
    assert_eq!(
        session.json_body().unwrap(),
        json!({"device": {"hardware_id": HID, "metadata": {"api_version": 11, "device_model": "latchkey-test"},
               "os": "android"}})
    );

    let devices = client.devices(&auth).await.unwrap();
    assert_eq!(devices.intercoms.len(), 2);
    assert_eq!(devices.intercoms[0].id, door());
    assert_eq!(devices.intercoms[0].kind, IntercomKind::Audio);
    assert_eq!(devices.intercoms[0].description, "Front door");
    assert_eq!(devices.intercoms[0].battery_percent, Some(100));
    assert_eq!(devices.intercoms[0].online, Some(true));
    assert_eq!(devices.intercoms[1].kind, IntercomKind::Video);

    let request = sim.handle().requests_to(Endpoint::Devices).pop().unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(request.bearer_token(), Some(token.expose()));
    assert_eq!(request.header("hardware_id"), Some(HID));
    assert_eq!(request.header("user-agent"), Some("android:com.ringapp"));
    assert_eq!(request.header("accept"), Some("application/json"));
}

#[tokio::test]
async fn locations_and_health() {
    let sim = start();
    with_ring_session(&sim);
    let client = client(&sim);
    let token = token(&sim, &client).await;
    let hid = hid();
    let auth = ApiAuth {
        hardware_id: &hid,
        access_token: &token,
    };
    let locations = client.locations(&auth).await.unwrap();
    assert_eq!(locations[0].location_id, DEFAULT_LOCATION_ID);
    assert_eq!(locations[0].time_zone.as_deref(), Some("Europe/Rome"));
    let health = client.device_health(&auth, door()).await.unwrap();
    assert_eq!(health.battery_percent, Some(100));
    assert_eq!(health.signal_strength_dbm, Some(-58));
    assert_eq!(
        client
            .device_health(&auth, latchkey_ring::DeviceId::new(1))
            .await
            .unwrap_err(),
        RingError::NotFound
    );
}

#[tokio::test]
async fn statuses_map_to_distinct_errors() {
    let sim = start();
    with_ring_session(&sim);
    let client = client(&sim);
    let token = token(&sim, &client).await;
    let hid = hid();
    let auth = ApiAuth {
        hardware_id: &hid,
        access_token: &token,
    };
    let cases = [
        (
            Fault::status(429).with_header("Retry-After", "12"),
            RingError::RateLimited {
                retry_after: Some(Duration::from_secs(12)),
            },
        ),
        (Fault::status(429), RingError::RateLimited { retry_after: None }),
        (Fault::status(500), RingError::Unavailable { status: 500 }),
        (Fault::status(504), RingError::Unavailable { status: 504 }),
        (Fault::blocked(), RingError::Blocked),
        (
            Fault::status(422).with_body(" ", "text/plain"),
            RingError::Unprocessable,
        ),
        (
            Fault::json(401, &json!({"error": "Unauthorized"})),
            RingError::Unauthorized,
        ),
        (
            Fault::status(418),
            RingError::UnexpectedResponse {
                status: 418,
                detail: "unexpected status".into(),
            },
        ),
        (Fault::hang(), RingError::Timeout),
    ];
    for (fault, expected) in cases {
        sim.handle().inject_times(Endpoint::Devices, fault, 1);
        assert_eq!(client.devices(&auth).await.unwrap_err(), expected);
    }
    // Garbage in a 200 is an unexpected answer, never a panic.
    sim.handle().inject_times(
        Endpoint::Locations,
        Fault::status(200).with_body("<html>", "text/html"),
        1,
    );
    assert!(matches!(
        client.locations(&auth).await,
        Err(RingError::UnexpectedResponse { status: 200, .. })
    ));
    sim.handle().inject_times(
        Endpoint::Locations,
        Fault::json(200, &json!({"locations": []})),
        1,
    );
    assert!(matches!(
        client.locations(&auth).await,
        Err(RingError::UnexpectedResponse { status: 200, .. })
    ));
}

#[tokio::test]
async fn expired_token_is_unauthorized() {
    let sim = start();
    with_ring_session(&sim);
    let client = client(&sim);
    let token = token(&sim, &client).await;
    sim.handle().expire_access_tokens();
    let hid = hid();
    let auth = ApiAuth {
        hardware_id: &hid,
        access_token: &token,
    };
    assert_eq!(client.devices(&auth).await.unwrap_err(), RingError::Unauthorized);
}

#[test]
fn invalid_base_urls_are_config_errors() {
    let config = latchkey_ring::RingClientConfig::new("not a url", "https://api.ring.com");
    assert!(matches!(
        RingClient::new(config),
        Err(RingError::InvalidConfig(_))
    ));
    assert!(RingClient::new(latchkey_ring::RingClientConfig::ring_cloud()).is_ok());
}
