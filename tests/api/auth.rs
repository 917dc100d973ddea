use latchkey_blackbox::{ADMIN, ADMIN_PASSWORD, TestApp, expect_problem, on_both_stores};
use serde_json::{Value, json};

on_both_stores!(
    login_contract,
    browser_and_api_sessions,
    login_replaces_the_session
);

async fn login_contract(app: TestApp) {
    let api = app.api();
    expect_problem(
        api.post("/api/auth/login", json!({})).await,
        400,
        "missing_credentials",
    )
    .await;
    expect_problem(
        api.post("/api/auth/login", json!({"username": ADMIN, "password": ""}))
            .await,
        400,
        "missing_credentials",
    )
    .await;
    expect_problem(
        api.post("/api/auth/login", json!({"username": "", "password": "x"}))
            .await,
        400,
        "missing_credentials",
    )
    .await;

    let wrong = api
        .post(
            "/api/auth/login",
            json!({"username": ADMIN, "password": "not-the-password"}),
        )
        .await;
    let wrong = expect_problem(wrong, 401, "invalid_credentials").await;
    let unknown = api
        .post(
            "/api/auth/login",
            json!({"username": "nobody-here", "password": "not-the-password"}),
        )
        .await;
    let unknown = expect_problem(unknown, 401, "invalid_credentials").await;
    assert_eq!(
        wrong, unknown,
        "unknown users must be indistinguishable from wrong passwords"
    );

    let res = api
        .post(
            "/api/auth/login",
            json!({"username": "ADMIN", "password": ADMIN_PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 200, "usernames are case-insensitive");
    assert!(res.headers().contains_key("set-auth-token"));
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("latchkey_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ok"], true);
    assert_eq!(body["username"], ADMIN);
    assert_eq!(body["role"], "admin");

    expect_problem(api.get("/api/auth/me").await, 401, "unauthenticated").await;
}

async fn browser_and_api_sessions(app: TestApp) {
    let browser = app.browser().await;
    assert_eq!(browser.login(ADMIN, ADMIN_PASSWORD).await.status(), 200);
    let me: Value = browser.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["username"], ADMIN);
    assert_eq!(me["role"], "admin");

    let api = app.admin().await;
    let me: Value = api.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["username"], ADMIN);

    // A forged or foreign token is refused.
    let mut forged = api.clone();
    forged.token = Some(format!("{}x", api.token.clone().unwrap()));
    expect_problem(forged.get("/api/auth/me").await, 401, "unauthenticated").await;
}

async fn login_replaces_the_session(app: TestApp) {
    let first = app.admin().await;
    let second = app.admin().await;
    assert_ne!(first.token, second.token, "every login issues a new session");
    assert_eq!(first.get("/api/auth/me").await.status(), 200);
    assert_eq!(second.get("/api/auth/me").await.status(), 200);
}
