use latchkey_blackbox::{RESIDENT_PASSWORD, TestApp, expect_problem, on_both_stores};
use serde_json::{Value, json};

on_both_stores!(
    five_failures_lock_then_admin_clears,
    login_audit_records_every_attempt
);

async fn five_failures_lock_then_admin_clears(app: TestApp) {
    let admin = app.admin().await;
    let id = app.create_resident(&admin, "lockme").await;
    let api = app.api();
    for _ in 0..5 {
        let res = api
            .post(
                "/api/auth/login",
                json!({"username": "lockme", "password": "wrong-wrong-wrong"}),
            )
            .await;
        expect_problem(res, 401, "invalid_credentials").await;
    }
    // Locked now: even the right password gets 423 with the end of the lock.
    let res = api
        .post(
            "/api/auth/login",
            json!({"username": "lockme", "password": RESIDENT_PASSWORD}),
        )
        .await;
    let problem = expect_problem(res, 423, "account_locked").await;
    let until = time::OffsetDateTime::parse(
        problem["lockedUntil"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let minutes = (until - time::OffsetDateTime::now_utc()).whole_minutes();
    assert!((14..=15).contains(&minutes), "locked for {minutes} minutes");

    // The admin sees the lock and clears it.
    let users: Value = admin.get("/api/admin/users").await.json().await.unwrap();
    let row = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(row["locked"], true);
    assert_eq!(row["failedLogins"], 5);
    let res = admin
        .post(&format!("/api/admin/users/{id}/unlock"), json!({}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["user"]["locked"], false);

    let res = api
        .post(
            "/api/auth/login",
            json!({"username": "lockme", "password": RESIDENT_PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

async fn login_audit_records_every_attempt(app: TestApp) {
    let admin = app.admin().await;
    app.create_resident(&admin, "audited").await;
    let api = app.api();
    api.post(
        "/api/auth/login",
        json!({"username": "audited", "password": "wrong-wrong-wrong"}),
    )
    .await;
    api.post(
        "/api/auth/login",
        json!({"username": "audited", "password": RESIDENT_PASSWORD}),
    )
    .await;
    api.post(
        "/api/auth/login",
        json!({"username": "ghost", "password": "whatever-whatever"}),
    )
    .await;

    let res = admin.get("/api/admin/login-audit?page=1&pageSize=3").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let events = body["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    // Newest first.
    assert_eq!(events[0]["username"], "ghost");
    assert_eq!(events[0]["outcome"], "invalid_credentials");
    assert!(events[0]["userId"].is_null());
    assert_eq!(events[1]["outcome"], "success");
    assert_eq!(events[1]["success"], true);
    assert_eq!(events[2]["outcome"], "invalid_credentials");
    assert!(events[2]["userId"].is_i64());
    assert_eq!(events[2]["ip"], "127.0.0.1");
    assert_eq!(body["total"], 4, "the admin's own login is audited too");
    assert_eq!(body["pageSize"], 3);
    let raw = serde_json::to_string(&body).unwrap();
    assert!(
        !raw.contains("wrong-wrong-wrong") && !raw.contains("argon2"),
        "no secret in the audit"
    );

    let page2: Value = admin
        .get("/api/admin/login-audit?page=2&pageSize=3")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page2["events"].as_array().unwrap().len(), 1);
    expect_problem(
        admin.get("/api/admin/login-audit?pageSize=0").await,
        400,
        "validation_failed",
    )
    .await;
    expect_problem(
        admin.get("/api/admin/login-audit?page=abc").await,
        400,
        "invalid_query",
    )
    .await;
}
