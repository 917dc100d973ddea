//! `POST /oauth/token`: both request styles, 2FA, errors, rotation.

use latchkey_ring_sim::{CodeRateLimit, Endpoint};
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn json_password_grant_issues_ring_shaped_tokens() {
    let sim = start_with(config().with_token_expires_in_secs(120));
    let response = password_grant(&sim, EMAIL, PASSWORD, "").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert!(body["access_token"].as_str().unwrap().starts_with("ey"));
    assert!(body["refresh_token"].as_str().unwrap().starts_with("ey"));
    assert_eq!(body["expires_in"], 120);
    assert_eq!(body["scope"], "client");
    assert_eq!(body["token_type"], "Bearer");
    let counters = sim.handle().counters();
    assert_eq!(counters.password_grants, 1);
    assert_eq!(counters.requests_to(Endpoint::Token), 1);
}

#[tokio::test]
async fn form_password_grant_with_basic_auth_client_id_is_accepted() {
    let sim = start();
    // python-ring-doorbell style: form body, client_id also in Basic auth.
    let response = http()
        .post(format!("{}/oauth/token", sim.base_url()))
        .basic_auth("ring_official_android", Some(""))
        .form(&[
            ("grant_type", "password"),
            ("username", EMAIL),
            ("password", PASSWORD),
            ("scope", "client"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    // ... and the form refresh grant with Basic auth only.
    let response = http()
        .post(format!("{}/oauth/token", sim.base_url()))
        .basic_auth("ring_official_android", Some(""))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", body["refresh_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn missing_client_id_and_unknown_content_type_are_bad_requests() {
    let sim = start();
    let no_client = http()
        .post(format!("{}/oauth/token", sim.base_url()))
        .json(&json!({"grant_type": "password", "username": EMAIL, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(no_client.status(), 400);
    let text = http()
        .post(format!("{}/oauth/token", sim.base_url()))
        .header("content-type", "text/plain")
        .body("grant_type=password")
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 400);
}

#[tokio::test]
async fn missing_user_agent_gets_the_406_html_page() {
    let sim = start();
    let response = reqwest::Client::new()
        .post(format!("{}/oauth/token", sim.base_url()))
        .json(
            &json!({"client_id": "ring_official_android", "grant_type": "password",
                      "username": EMAIL, "password": PASSWORD}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 406);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<title>406 Not Acceptable</title>")
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_email_are_access_denied() {
    let sim = start();
    for (email, password) in [(EMAIL, "wrong"), ("nobody@example.com", PASSWORD)] {
        let response = password_grant(&sim, email, password, "").await;
        assert_eq!(response.status(), 401);
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body,
            json!({"error": "access_denied", "error_description": "invalid user credentials"})
        );
    }
}

#[tokio::test]
async fn sms_two_factor_flow() {
    let sim = start();
    let challenge = password_grant(&sim, SMS_EMAIL, PASSWORD, "").await;
    assert_eq!(challenge.status(), 412);
    let body: Value = challenge.json().await.unwrap();
    assert_eq!(
        body,
        json!({"next_time_in_secs": 60, "phone": "+1xxxxxxxx89", "tsv_state": "sms"})
    );
    assert_eq!(sim.handle().counters().codes_sent, 1);

    let wrong = password_grant(&sim, SMS_EMAIL, PASSWORD, "000000").await;
    assert_eq!(wrong.status(), 400);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"], "Verification Code is invalid or expired");

    let right = password_grant(&sim, SMS_EMAIL, PASSWORD, CODE).await;
    assert_eq!(right.status(), 200);
    assert_eq!(
        sim.handle().counters().codes_sent,
        1,
        "submitting a code sends none"
    );
}

#[tokio::test]
async fn email_and_totp_challenges_name_their_mode() {
    let sim = start();
    let body: Value = password_grant(&sim, EMAIL_2FA_EMAIL, PASSWORD, "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["tsv_state"], "email");
    assert_eq!(body["phone"], "m***@example.com");
    let body: Value = password_grant(&sim, TOTP_EMAIL, PASSWORD, "")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["tsv_state"], "totp");
    assert_eq!(body["phone"], "time-based OTP");
    assert_eq!(sim.handle().counters().codes_sent, 1, "TOTP sends nothing");
    assert_eq!(
        password_grant(&sim, TOTP_EMAIL, PASSWORD, CODE).await.status(),
        200
    );
}

#[tokio::test]
async fn code_requests_are_rate_limited() {
    let limit = CodeRateLimit {
        max_codes: 2,
        window_secs: 600,
        status: 429,
    };
    let sim = start_with(config().with_code_rate_limit(limit));
    for _ in 0..2 {
        assert_eq!(password_grant(&sim, SMS_EMAIL, PASSWORD, "").await.status(), 412);
    }
    let limited = password_grant(&sim, SMS_EMAIL, PASSWORD, "").await;
    assert_eq!(limited.status(), 429);
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["error"], "error requesting 2fa service to send code");
    assert_eq!(
        body["error_description"],
        "too many requests from dependency service"
    );
    assert_eq!(sim.handle().counters().codes_sent, 2);
    // A correct code still works while sending is limited.
    assert_eq!(
        password_grant(&sim, SMS_EMAIL, PASSWORD, CODE).await.status(),
        200
    );
}

#[tokio::test]
async fn refresh_rotates_and_the_old_token_stops_working() {
    let sim = start();
    let first = sim.handle().issue_refresh_token(EMAIL).unwrap();
    let response = refresh_grant(&sim, &first).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let second = body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second, first);

    let reused = refresh_grant(&sim, &first).await;
    assert_eq!(reused.status(), 401);
    let body: Value = reused.json().await.unwrap();
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "token is invalid or does not exists"})
    );
    assert_eq!(refresh_grant(&sim, &second).await.status(), 200);
    assert_eq!(sim.handle().counters().refresh_grants, 3);
}

#[tokio::test]
async fn reusable_mode_accepts_a_refresh_token_twice() {
    let sim = start_with(config().with_reusable_refresh_tokens(true));
    let token = sim.handle().issue_refresh_token(EMAIL).unwrap();
    assert_eq!(refresh_grant(&sim, &token).await.status(), 200);
    assert_eq!(refresh_grant(&sim, &token).await.status(), 200);
}

#[tokio::test]
async fn revoked_refresh_tokens_are_invalid_grants() {
    let sim = start();
    let token = sim.handle().issue_refresh_token(EMAIL).unwrap();
    sim.handle().revoke_refresh_tokens(EMAIL).unwrap();
    assert_eq!(refresh_grant(&sim, &token).await.status(), 401);
}
