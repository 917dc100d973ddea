//! Password grant with 2FA and the refresh grant: request shape and every error path.

use std::time::Duration;

use latchkey_ring::{RingError, RingSecret, TwoFactorMethod};
use latchkey_ring_sim::{CodeRateLimit, Endpoint, Fault};
use serde_json::json;

use crate::support::*;

fn pw() -> RingSecret {
    RingSecret::from(PASSWORD)
}

#[tokio::test]
async fn password_grant_sends_ring_client_api_shape() {
    let sim = start_with(sim_config().with_token_expires_in_secs(1234));
    let tokens = client(&sim)
        .password_grant(&hid(), EMAIL, &pw(), None)
        .await
        .unwrap();
    assert_eq!(tokens.expires_in, Duration::from_secs(1234));
    assert!(!tokens.refresh_token.is_empty());

    let request = &sim.handle().requests_to(Endpoint::Token)[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/oauth/token");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("user-agent"), Some("android:com.ringapp"));
    assert_eq!(request.header("hardware_id"), Some(HID));
    assert_eq!(request.header("2fa-support"), Some("true"));
    assert_eq!(request.header("2fa-code"), Some(""));
    assert_eq!(
        request.json_body().unwrap(),
        json!({"client_id": "ring_official_android", "scope": "client", "grant_type": "password",
               "username": EMAIL, "password": PASSWORD})
    );
    // Field order as ring-client-api sends it.
    assert!(
        request
            .body
            .starts_with(r#"{"client_id":"ring_official_android","scope":"client","grant_type""#)
    );
}

#[tokio::test]
async fn sms_code_flow_prompts_then_succeeds_with_the_code_header() {
    let sim = start();
    let client = client(&sim);
    let error = client
        .password_grant(&hid(), SMS_EMAIL, &pw(), None)
        .await
        .unwrap_err();
    let RingError::TwoFactorRequired(challenge) = error else {
        panic!("expected a challenge, got {error:?}")
    };
    assert_eq!(challenge.method, TwoFactorMethod::Sms);
    assert_eq!(challenge.tsv_state, "sms");
    assert_eq!(challenge.prompt, "Enter the code sent by SMS to ••••34");
    assert_eq!(challenge.next_time_in_secs, Some(60));

    let tokens = client
        .password_grant(&hid(), SMS_EMAIL, &pw(), Some(&RingSecret::from(CODE)))
        .await
        .unwrap();
    assert!(!tokens.access_token.is_empty());
    let requests = sim.handle().requests_to(Endpoint::Token);
    assert_eq!(requests[1].header("2fa-code"), Some(CODE));
}

#[tokio::test]
async fn email_and_totp_prompts() {
    let sim = start();
    let client = client(&sim);
    let Err(RingError::TwoFactorRequired(email)) =
        client.password_grant(&hid(), EMAIL_2FA_EMAIL, &pw(), None).await
    else {
        panic!("expected a challenge")
    };
    assert_eq!(email.method, TwoFactorMethod::Email);
    assert_eq!(email.prompt, "Enter the code sent by email to m***@example.com");
    let Err(RingError::TwoFactorRequired(totp)) =
        client.password_grant(&hid(), TOTP_EMAIL, &pw(), None).await
    else {
        panic!("expected a challenge")
    };
    assert_eq!(totp.method, TwoFactorMethod::Totp);
    assert_eq!(totp.prompt, "Enter the code from your authenticator app");
}

#[tokio::test]
async fn wrong_code_wrong_password_and_code_rate_limit_are_distinct() {
    let limit = CodeRateLimit {
        max_codes: 1,
        window_secs: 600,
        status: 429,
    };
    let sim = start_with(sim_config().with_code_rate_limit(limit));
    let client = client(&sim);
    let wrong_code = client
        .password_grant(&hid(), SMS_EMAIL, &pw(), Some(&RingSecret::from("000000")))
        .await;
    assert_eq!(wrong_code.unwrap_err(), RingError::InvalidTwoFactorCode);
    let wrong_password = client
        .password_grant(&hid(), EMAIL, &RingSecret::from("nope"), None)
        .await;
    assert_eq!(wrong_password.unwrap_err(), RingError::InvalidCredentials);
    assert!(matches!(
        client.password_grant(&hid(), SMS_EMAIL, &pw(), None).await,
        Err(RingError::TwoFactorRequired(_))
    ));
    let limited = client.password_grant(&hid(), SMS_EMAIL, &pw(), None).await;
    assert_eq!(limited.unwrap_err(), RingError::TwoFactorRateLimited);
}

#[tokio::test]
async fn code_rate_limit_is_recognised_whatever_the_status() {
    let limit = CodeRateLimit {
        max_codes: 0,
        window_secs: 600,
        status: 400,
    };
    let sim = start_with(sim_config().with_code_rate_limit(limit));
    let limited = client(&sim).password_grant(&hid(), SMS_EMAIL, &pw(), None).await;
    assert_eq!(limited.unwrap_err(), RingError::TwoFactorRateLimited);
}

#[tokio::test]
async fn blocked_html_server_errors_and_timeouts() {
    let sim = start();
    let client = client(&sim);
    sim.handle().inject_times(Endpoint::Token, Fault::blocked(), 1);
    sim.handle().inject_times(
        Endpoint::Token,
        Fault::status(503).with_body("<html>oops</html>", "text/html"),
        1,
    );
    sim.handle().inject_times(
        Endpoint::Token,
        Fault::status(429).with_header("Retry-After", "30"),
        1,
    );
    sim.handle().inject_times(Endpoint::Token, Fault::hang(), 1);
    assert_eq!(
        client
            .password_grant(&hid(), EMAIL, &pw(), None)
            .await
            .unwrap_err(),
        RingError::Blocked
    );
    assert_eq!(
        client
            .password_grant(&hid(), EMAIL, &pw(), None)
            .await
            .unwrap_err(),
        RingError::Unavailable { status: 503 }
    );
    assert_eq!(
        client
            .password_grant(&hid(), EMAIL, &pw(), None)
            .await
            .unwrap_err(),
        RingError::RateLimited {
            retry_after: Some(Duration::from_secs(30))
        }
    );
    assert_eq!(
        client
            .password_grant(&hid(), EMAIL, &pw(), None)
            .await
            .unwrap_err(),
        RingError::Timeout
    );
    assert_eq!(sim.handle().counters().password_grants, 4, "no automatic retries");
}

#[tokio::test]
async fn malformed_success_is_unexpected_and_hides_the_body() {
    let sim = start();
    sim.handle().inject_times(
        Endpoint::Token,
        Fault::json(200, &json!({"refresh_token": "ey_leak"})),
        1,
    );
    let error = client(&sim)
        .password_grant(&hid(), EMAIL, &pw(), None)
        .await
        .unwrap_err();
    assert!(matches!(error, RingError::UnexpectedResponse { status: 200, .. }));
    assert!(!error.to_string().contains("ey_leak"));
    assert!(!format!("{error:?}").contains("ey_leak"));
}

#[tokio::test]
async fn refresh_rotates_and_invalid_grant_needs_relink() {
    let sim = start();
    let client = client(&sim);
    let first = RingSecret::from(sim.handle().issue_refresh_token(EMAIL).unwrap());
    let tokens = client.refresh_grant(&hid(), &first).await.unwrap();
    assert_ne!(tokens.refresh_token, first);
    let request = &sim.handle().requests_to(Endpoint::Token)[0];
    assert_eq!(request.json_body().unwrap()["grant_type"], "refresh_token");
    assert_eq!(request.json_body().unwrap()["refresh_token"], first.expose());
    assert_eq!(request.header("hardware_id"), Some(HID));

    assert_eq!(
        client.refresh_grant(&hid(), &first).await.unwrap_err(),
        RingError::NeedsRelink
    );
    assert_eq!(
        sim.handle().counters().refresh_grants,
        2,
        "invalid_grant is not retried"
    );
}

#[tokio::test]
async fn unreachable_ring_is_distinct_from_timeout() {
    let sim = start();
    let client = client(&sim);
    sim.stop().await.unwrap();
    let error = client
        .password_grant(&hid(), EMAIL, &pw(), None)
        .await
        .unwrap_err();
    assert!(matches!(error, RingError::Unreachable { .. }), "{error:?}");
    assert!(!error.unlock_outcome_unknown());
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let tokens = latchkey_ring::AuthTokens {
        access_token: RingSecret::from("ey_access"),
        refresh_token: RingSecret::from("ey_refresh"),
        expires_in: Duration::from_secs(1),
    };
    let debug = format!("{tokens:?}");
    assert!(!debug.contains("ey_access") && !debug.contains("ey_refresh"));
}
