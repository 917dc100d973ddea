use latchkey_blackbox::{TestApp, on_both_stores};
use serde_json::Value;

on_both_stores!(health_ready_and_headers, openapi_is_served);

async fn health_ready_and_headers(app: TestApp) {
    let api = app.api();
    let res = api.get("/api/health").await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        serde_json::json!({"ok": true})
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["cache-control"], "no-store");
    assert!(h.contains_key("x-request-id"));

    let res = api.get("/api/ready").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["ok"], true);

    // A sane incoming request id is echoed back for correlation.
    let res = api
        .client
        .get(app.url("/api/health"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "abc-123");
}

async fn openapi_is_served(app: TestApp) {
    let doc: Value = app.api().get("/api/openapi.json").await.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/health",
        "/api/ready",
        "/api/auth/csrf",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/me",
        "/api/auth/password",
        "/api/admin/users",
        "/api/admin/users/{id}",
        "/api/admin/users/{id}/permanent",
        "/api/admin/users/{id}/reset-password",
        "/api/admin/users/{id}/unlock",
        "/api/admin/login-audit",
        "/api/admin/limits",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
    for scheme in ["bearer", "cookie", "csrf"] {
        assert!(
            doc["components"]["securitySchemes"].get(scheme).is_some(),
            "{scheme}"
        );
    }
}
