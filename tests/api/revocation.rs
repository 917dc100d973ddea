use latchkey_blackbox::{ADMIN, RESIDENT_PASSWORD, TestApp, expect_problem, on_both_stores};
use serde_json::{Value, json};

on_both_stores!(
    logout_revokes_cookie_and_bearer,
    disable_revokes_and_blocks_login,
    reset_password_revokes_and_forces_a_change,
    password_change_revokes_other_sessions,
    permanent_delete_revokes,
);

async fn logout_revokes_cookie_and_bearer(app: TestApp) {
    let admin = app.admin().await;
    app.create_resident(&admin, "leaver").await;
    let browser = app.browser().await;
    assert_eq!(browser.login("leaver", RESIDENT_PASSWORD).await.status(), 200);
    let api = app.login_api("leaver", RESIDENT_PASSWORD).await;
    // Keep the browser's cookie value to replay it after logout.
    let res = browser.post("/api/auth/logout", json!({})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    expect_problem(browser.get("/api/auth/me").await, 401, "unauthenticated").await;
    // The API session is separate and still alive; its own logout ends it.
    assert_eq!(api.get("/api/auth/me").await.status(), 200);
    assert_eq!(api.post("/api/auth/logout", json!({})).await.status(), 200);
    expect_problem(api.get("/api/auth/me").await, 401, "unauthenticated").await;
}

async fn disable_revokes_and_blocks_login(app: TestApp) {
    let admin = app.admin().await;
    let id = app.create_resident(&admin, "tenant").await;
    let tenant = app.login_api("tenant", RESIDENT_PASSWORD).await;
    let res = admin.delete(&format!("/api/admin/users/{id}")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    expect_problem(tenant.get("/api/auth/me").await, 401, "unauthenticated").await;
    let res = app
        .api()
        .post(
            "/api/auth/login",
            json!({"username": "tenant", "password": RESIDENT_PASSWORD}),
        )
        .await;
    expect_problem(res, 403, "account_disabled").await;
    // Re-enable through PUT.
    assert_eq!(
        admin
            .put(&format!("/api/admin/users/{id}"), json!({"disabled": false}))
            .await
            .status(),
        200
    );
    app.login_api("tenant", RESIDENT_PASSWORD).await;
}

async fn reset_password_revokes_and_forces_a_change(app: TestApp) {
    let admin = app.admin().await;
    let id = app.create_resident(&admin, "forgetful").await;
    let old = app.login_api("forgetful", RESIDENT_PASSWORD).await;
    let res = admin
        .post(&format!("/api/admin/users/{id}/reset-password"), json!({}))
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ok"], true);
    let temp = body["tempPassword"].as_str().unwrap().to_owned();
    expect_problem(old.get("/api/auth/me").await, 401, "unauthenticated").await;
    let res = app
        .api()
        .post(
            "/api/auth/login",
            json!({"username": "forgetful", "password": RESIDENT_PASSWORD}),
        )
        .await;
    expect_problem(res, 401, "invalid_credentials").await;

    let res = app
        .api()
        .post(
            "/api/auth/login",
            json!({"username": "forgetful", "password": temp}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["mustChangePassword"], true);
    let user = app.login_api("forgetful", &temp).await;
    let me: Value = user.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["mustChangePassword"], true);
    let res = user
        .post(
            "/api/auth/password",
            json!({"currentPassword": temp, "newPassword": "amber-falcon-river-27"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let fresh = res.headers()["set-auth-token"].to_str().unwrap().to_owned();
    let mut renewed = user.clone();
    renewed.token = Some(fresh);
    let me: Value = renewed.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["mustChangePassword"], false);
}

async fn password_change_revokes_other_sessions(app: TestApp) {
    let admin = app.admin().await;
    app.create_resident(&admin, "mover").await;
    let phone = app.login_api("mover", RESIDENT_PASSWORD).await;
    let browser = app.browser().await;
    assert_eq!(browser.login("mover", RESIDENT_PASSWORD).await.status(), 200);

    let res = phone
        .post(
            "/api/auth/password",
            json!({"currentPassword": "wrong-current-pw", "newPassword": "amber-falcon-river-27"}),
        )
        .await;
    expect_problem(res, 400, "invalid_current_password").await;
    let res = phone
        .post(
            "/api/auth/password",
            json!({"currentPassword": RESIDENT_PASSWORD, "newPassword": "Password123!"}),
        )
        .await;
    let p = expect_problem(res, 400, "validation_failed").await;
    assert_eq!(p["field"], "newPassword");

    let res = phone
        .post(
            "/api/auth/password",
            json!({"currentPassword": RESIDENT_PASSWORD, "newPassword": "amber-falcon-river-27"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let fresh = res.headers()["set-auth-token"].to_str().unwrap().to_owned();
    expect_problem(phone.get("/api/auth/me").await, 401, "unauthenticated").await;
    expect_problem(browser.get("/api/auth/me").await, 401, "unauthenticated").await;
    let mut renewed = phone.clone();
    renewed.token = Some(fresh);
    assert_eq!(renewed.get("/api/auth/me").await.status(), 200);
    app.login_api("mover", "amber-falcon-river-27").await;
}

async fn permanent_delete_revokes(app: TestApp) {
    let admin = app.admin().await;
    let id = app.create_resident(&admin, "goner").await;
    let goner = app.login_api("goner", RESIDENT_PASSWORD).await;
    let res = admin.delete(&format!("/api/admin/users/{id}/permanent")).await;
    assert_eq!(res.status(), 200);
    expect_problem(goner.get("/api/auth/me").await, 401, "unauthenticated").await;
    expect_problem(
        admin.delete(&format!("/api/admin/users/{id}/permanent")).await,
        404,
        "not_found",
    )
    .await;
    let users: Value = admin.get("/api/admin/users").await.json().await.unwrap();
    assert!(users["users"].as_array().unwrap().iter().all(|u| u["id"] != id));
}

async fn generated_admin_must_change_password_first(app: TestApp) {
    // Started without LATCHKEY_ADMIN_PASSWORD (see `generated_admin` below).
    let (username, generated) = app.bootstrap.clone().expect("first start creates an admin");
    let generated = generated.expect("a password was generated");
    assert_eq!(username, ADMIN);
    let admin = app.login_api(ADMIN, &generated).await;
    expect_problem(
        admin.get("/api/admin/users").await,
        403,
        "password_change_required",
    )
    .await;
    assert_eq!(admin.get("/api/auth/me").await.status(), 200);
    let res = admin
        .post(
            "/api/auth/password",
            json!({"currentPassword": generated, "newPassword": "amber-falcon-river-27"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let admin = app.login_api(ADMIN, "amber-falcon-river-27").await;
    assert_eq!(admin.get("/api/admin/users").await.status(), 200);
}

mod generated_admin {
    use latchkey_blackbox::{Backend, TestApp};

    async fn spawn(backend: Backend) -> Option<TestApp> {
        TestApp::spawn_with(backend, &[("LATCHKEY_ADMIN_PASSWORD", "")]).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::generated_admin_must_change_password_first(spawn(Backend::Sqlite).await.unwrap()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(app) = spawn(Backend::Postgres).await {
            super::generated_admin_must_change_password_first(app).await;
        }
    }
}
