//! `log_in` (password grant with 2FA) and `test_token` (nothing stored).

use latchkey_ports::{GatewayError, IntercomGateway, RingLocationInfo, Secret};
use latchkey_ring_sim::{DEFAULT_LOCATION_ID, Endpoint, Fault};

use crate::support::*;

fn pw() -> Secret {
    Secret::new(PASSWORD)
}

fn home() -> Vec<RingLocationInfo> {
    vec![RingLocationInfo {
        id: DEFAULT_LOCATION_ID.to_owned(),
        name: "Home".to_owned(),
    }]
}

#[tokio::test]
async fn log_in_returns_a_working_refresh_token_and_stores_nothing() {
    let sim = start();
    let vault = MemoryVault::new(&sim);
    let gateway = gateway(&sim, &vault);
    let token = gateway.log_in(HID, EMAIL, &pw(), None).await.unwrap();
    let request = &sim.handle().requests_to(Endpoint::Token)[0];
    assert_eq!(request.header("hardware_id"), Some(HID));
    assert_eq!(gateway.test_token(HID, &token).await.unwrap(), home());
    assert!(vault.stored().is_empty() && vault.loads() == 0);
}

#[tokio::test]
async fn log_in_with_two_factor_asks_for_the_code_then_succeeds() {
    let sim = start();
    let gateway = gateway(&sim, &MemoryVault::new(&sim));
    let first = gateway.log_in(HID, SMS_EMAIL, &pw(), None).await;
    assert_eq!(
        first,
        Err(GatewayError::TwoFactorRequired {
            prompt: "Enter the code sent by SMS to ••••34".to_owned()
        })
    );
    let wrong = gateway
        .log_in(HID, SMS_EMAIL, &pw(), Some(Secret::new("000000")))
        .await;
    assert_eq!(wrong, Err(GatewayError::InvalidTwoFactorCode));
    let token = gateway
        .log_in(HID, SMS_EMAIL, &pw(), Some(Secret::new(CODE)))
        .await
        .unwrap();
    assert!(!token.expose().is_empty());
    assert!(!format!("{token:?}").contains(token.expose()));
}

#[tokio::test]
async fn log_in_failures_map_to_gateway_errors() {
    let sim = start();
    let gateway = gateway(&sim, &MemoryVault::new(&sim));
    let wrong_password = gateway.log_in(HID, EMAIL, &Secret::new("nope"), None).await;
    assert_eq!(wrong_password, Err(GatewayError::InvalidCredentials));

    let cases = [
        (
            Fault::blocked(),
            GatewayError::RateLimited {
                retry_after_secs: 3600,
            },
        ),
        (
            Fault::status(429).with_header("Retry-After", "30"),
            GatewayError::RateLimited { retry_after_secs: 30 },
        ),
        (Fault::status(503), GatewayError::Unavailable),
        (Fault::hang(), GatewayError::Timeout),
    ];
    for (fault, expected) in cases {
        sim.handle().inject_times(Endpoint::Token, fault, 1);
        assert_eq!(gateway.log_in(HID, EMAIL, &pw(), None).await, Err(expected));
    }
    let grants = sim.handle().counters().password_grants;
    assert_eq!(grants, 5, "one request per attempt, no retries");

    let bad_hid = gateway.log_in("has space", EMAIL, &pw(), None).await;
    assert!(matches!(bad_hid, Err(GatewayError::Unexpected(_))));
    assert_eq!(sim.handle().counters().password_grants, grants, "nothing sent");
}

#[tokio::test]
async fn test_token_lists_locations_and_stores_nothing() {
    let sim = start();
    let vault = MemoryVault::new(&sim);
    let gateway = gateway(&sim, &vault);
    let token = Secret::new(sim.handle().issue_refresh_token(EMAIL).unwrap());
    assert_eq!(gateway.test_token(HID, &token).await.unwrap(), home());
    assert!(vault.stored().is_empty() && vault.loads() == 0 && vault.relink_marks().is_empty());
}

#[tokio::test]
async fn test_token_with_an_invalid_token_needs_relink() {
    let sim = start();
    let vault = MemoryVault::new(&sim);
    let gateway = gateway(&sim, &vault);
    let invalid = gateway.test_token(HID, &Secret::new("ey_not_a_token")).await;
    assert_eq!(invalid, Err(GatewayError::NeedsRelink));
    assert_eq!(
        sim.handle()
            .counters()
            .requests_to(latchkey_ring_sim::Endpoint::Locations),
        0
    );
    assert!(vault.relink_marks().is_empty(), "no account involved");
}
