use std::time::{Duration, Instant};

use latchkey_blackbox::{FRONT_DOOR, NEIGHBOUR_DOOR, TestApp, expect_problem, on_both_stores};
use latchkey_ring_sim::{Endpoint, Fault};
use serde_json::{Value, json};

use latchkey_blackbox::guest::linked_resident;

use crate::ring_link::resident;

on_both_stores!(
    unlock_failures_are_clear_audited_and_never_retried,
    other_users_accounts_and_intercoms_are_404,
    rotation_survives_a_restart
);

async fn unlock_failures_are_clear_audited_and_never_retried(app: TestApp) {
    let (me, _) = linked_resident(&app, "faulty").await;
    // Warm the session so the failures below hit the unlock call itself.
    assert_eq!(me.get("/api/ring/summary").await.status(), 200);
    let sim = app.sim.handle();
    let cases: [(Fault, u16, &str); 4] = [
        (Fault::status(500), 502, "ring_unavailable"),
        (
            Fault::status(429).with_header("retry-after", "30"),
            503,
            "ring_rate_limited",
        ),
        (Fault::status(422), 502, "intercom_rejected"),
        (Fault::hang(), 504, "ring_timeout"),
    ];
    for (i, (fault, status, code)) in cases.into_iter().enumerate() {
        let before = sim.unlock_calls(FRONT_DOOR);
        sim.inject_times(Endpoint::Unlock, fault, 1);
        let started = Instant::now();
        let res = me
            .post("/api/ring/unlock", json!({"intercomId": FRONT_DOOR}))
            .await;
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "answered within the 2 s deadline + 1 s"
        );
        let retry_after = res.headers().get("retry-after").cloned();
        expect_problem(res, status, code).await;
        if status == 503 {
            assert!(retry_after.is_some(), "503 carries Retry-After");
        }
        assert_eq!(
            sim.unlock_calls(FRONT_DOOR),
            before + 1,
            "case {i}: exactly one unlock call reached Ring"
        );
    }
    let audit: Value = me.get("/api/audit?pageSize=10").await.json().await.unwrap();
    let outcomes: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        vec!["unknown", "failed", "failed", "failed"],
        "newest first, the hang is 'unknown'"
    );
    let codes: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["errorCode"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec![
            "ring_timeout",
            "intercom_rejected",
            "ring_rate_limited",
            "ring_unavailable"
        ]
    );
}

async fn other_users_accounts_and_intercoms_are_404(app: TestApp) {
    let (alice, alice_account) = linked_resident(&app, "alice").await;
    let bob = resident(&app, "bob").await;
    expect_problem(
        bob.post(
            "/api/ring/unlock",
            json!({"intercomId": FRONT_DOOR, "ringAccountId": alice_account}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    expect_problem(
        bob.delete(&format!("/api/ring/accounts/{alice_account}")).await,
        404,
        "not_found",
    )
    .await;
    let res = bob
        .client
        .patch(format!("{}/api/ring/accounts/{alice_account}", bob.base))
        .bearer_auth(bob.token.as_ref().unwrap())
        .json(&json!({"label": "mine now"}))
        .send()
        .await
        .unwrap();
    expect_problem(res, 404, "not_found").await;
    let listed: Value = bob.get("/api/ring/accounts").await.json().await.unwrap();
    assert_eq!(listed["accounts"].as_array().unwrap().len(), 0);
    // Alice's Ring account does not hold the neighbour's intercom.
    expect_problem(
        alice
            .post("/api/ring/unlock", json!({"intercomId": NEIGHBOUR_DOOR}))
            .await,
        404,
        "intercom_not_found",
    )
    .await;
    assert_eq!(app.sim.handle().unlock_calls(FRONT_DOOR), 0);
    let audit: Value = bob.get("/api/audit").await.json().await.unwrap();
    assert_eq!(
        audit["events"][0]["outcome"], "failed",
        "refused attempts are audited too"
    );
}

async fn rotation_survives_a_restart(mut app: TestApp) {
    let (me, _) = linked_resident(&app, "restarter").await;
    assert_eq!(me.get("/api/ring/summary").await.status(), 200);
    let refreshes = app.sim.handle().counters().refresh_grants;
    assert!(refreshes >= 1);
    // The first token was single-use: only the rotated one, persisted, still works.
    app.restart().await;
    let me = app
        .login_api("restarter", latchkey_blackbox::RESIDENT_PASSWORD)
        .await;
    let summary: Value = me.get("/api/ring/summary").await.json().await.unwrap();
    assert!(summary["summary"][0]["error"].is_null(), "{summary}");
    assert_eq!(summary["summary"][0]["intercoms"].as_array().unwrap().len(), 2);
    assert_eq!(
        me.post("/api/ring/unlock", json!({"intercomId": FRONT_DOOR}))
            .await
            .status(),
        200
    );
}
