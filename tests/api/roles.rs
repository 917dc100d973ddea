use latchkey_blackbox::{RESIDENT_PASSWORD, TestApp, expect_problem, on_both_stores};
use reqwest::Method;
use serde_json::json;

on_both_stores!(residents_get_403_and_strangers_401_on_every_admin_route);

const ADMIN_ROUTES: [(Method, &str); 12] = [
    (Method::GET, "/api/admin/users"),
    (Method::POST, "/api/admin/users"),
    (Method::PUT, "/api/admin/users/1"),
    (Method::DELETE, "/api/admin/users/1"),
    (Method::DELETE, "/api/admin/users/1/permanent"),
    (Method::POST, "/api/admin/users/1/reset-password"),
    (Method::POST, "/api/admin/users/1/unlock"),
    (Method::GET, "/api/admin/login-audit"),
    (Method::GET, "/api/admin/limits"),
    (Method::POST, "/api/admin/limits"),
    (Method::GET, "/api/admin/devices"),
    (Method::GET, "/api/admin/audit"),
];

async fn residents_get_403_and_strangers_401_on_every_admin_route(app: TestApp) {
    let admin = app.admin().await;
    app.create_resident(&admin, "resident").await;
    let resident = app.login_api("resident", RESIDENT_PASSWORD).await;
    let stranger = app.api();
    let body = json!({"username": "x-user", "password": "amber-falcon-river-27", "guestPerMinute": 1});
    for (method, path) in ADMIN_ROUTES {
        let send = |api: &latchkey_blackbox::Api| {
            let mut b = api
                .client
                .request(method.clone(), format!("{}{}", api.base, path));
            if let Some(t) = &api.token {
                b = b.bearer_auth(t);
            }
            if method != Method::GET && method != Method::DELETE {
                b = b.json(&body);
            }
            b.send()
        };
        let res = send(&resident).await.unwrap();
        expect_problem(res, 403, "forbidden").await;
        let res = send(&stranger).await.unwrap();
        expect_problem(res, 401, "unauthenticated").await;
    }
    // Nothing changed behind the refusals.
    let users: serde_json::Value = admin.get("/api/admin/users").await.json().await.unwrap();
    assert_eq!(users["users"].as_array().unwrap().len(), 2);
}
