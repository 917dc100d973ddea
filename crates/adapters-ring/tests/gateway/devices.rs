//! `intercoms` and `health` against the simulator's devices.

use latchkey_domain::IntercomId;
use latchkey_ports::{GatewayError, IntercomGateway, IntercomHealth, IntercomInfo};
use latchkey_ring_sim::{DEFAULT_LOCATION_ID, Endpoint, Fault};

use crate::support::*;

#[tokio::test]
async fn the_intercom_list_matches_the_simulator() {
    let sim = start();
    let (vault, _) = linked_vault(&sim);
    let intercoms = gateway(&sim, &vault).intercoms(&account()).await.unwrap();
    let intercom = |id, name: &str, online| IntercomInfo {
        id: IntercomId(id),
        name: name.to_owned(),
        location_id: Some(DEFAULT_LOCATION_ID.to_owned()),
        battery_percent: Some(100),
        online: Some(online),
        firmware: Some("Up to Date".to_owned()),
    };
    assert_eq!(
        intercoms,
        vec![intercom(DOOR, "Front door", true), intercom(GATE, "Gate", false)]
    );
}

#[tokio::test]
async fn health_combines_the_health_endpoint_and_the_device_list() {
    let sim = start();
    let (vault, _) = linked_vault(&sim);
    let gateway = gateway(&sim, &vault);
    let expected = |online| IntercomHealth {
        online: Some(online),
        battery_percent: Some(100),
        signal_dbm: Some(-58),
        firmware: Some("1.9.2".to_owned()),
    };
    assert_eq!(
        gateway.health(&account(), IntercomId(DOOR)).await,
        Ok(expected(true))
    );
    assert_eq!(
        gateway.health(&account(), IntercomId(GATE)).await,
        Ok(expected(false))
    );
    assert_eq!(
        gateway.health(&account(), IntercomId(42)).await,
        Err(GatewayError::DeviceNotFound)
    );

    // A failing device list only leaves `online` unknown.
    sim.handle()
        .inject_times(Endpoint::Devices, Fault::status(500), 1);
    let health = gateway.health(&account(), IntercomId(DOOR)).await.unwrap();
    assert_eq!(health.online, None);
    assert_eq!(health.signal_dbm, Some(-58));
}

#[tokio::test]
async fn ring_errors_on_listing_map_to_gateway_errors() {
    let sim = start();
    let (vault, _) = linked_vault(&sim);
    let gateway = gateway(&sim, &vault);
    let cases = [
        (
            Fault::status(429).with_header("Retry-After", "12"),
            GatewayError::RateLimited { retry_after_secs: 12 },
        ),
        (
            Fault::status(429),
            GatewayError::RateLimited { retry_after_secs: 60 },
        ),
        (Fault::status(502), GatewayError::Unavailable),
        (Fault::hang(), GatewayError::Timeout),
    ];
    for (fault, expected) in cases {
        sim.handle().inject_times(Endpoint::Devices, fault, 1);
        assert_eq!(gateway.intercoms(&account()).await, Err(expected));
    }
}
