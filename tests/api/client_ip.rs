use latchkey_blackbox::{ADMIN, Backend, TestApp, on_both_stores};
use serde_json::{Value, json};

on_both_stores!(forwarded_for_is_ignored_from_untrusted_peers);

async fn last_login_ip(app: &TestApp) -> Value {
    let admin = app.admin().await;
    let audit: Value = admin
        .get("/api/admin/login-audit?pageSize=2")
        .await
        .json()
        .await
        .unwrap();
    // [0] is the admin login just made; [1] is the attempt under test.
    audit["events"][1]["ip"].clone()
}

async fn attempt_from(app: &TestApp, xff: &str) -> u16 {
    let res = app
        .api()
        .client
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", xff)
        .json(&json!({"username": ADMIN, "password": "wrong-wrong-wrong"}))
        .send()
        .await
        .unwrap();
    res.status().as_u16()
}

async fn forwarded_for_is_ignored_from_untrusted_peers(app: TestApp) {
    attempt_from(&app, "203.0.113.7").await;
    assert_eq!(last_login_ip(&app).await, "127.0.0.1");

    // Rotating the header does not buy a fresh rate-limit budget.
    let admin = app.admin().await;
    admin.post("/api/admin/limits", json!({"authPerMinute": 4})).await;
    let codes: Vec<u16> = futures::future::join_all((0..4).map(|i| {
        let app = &app;
        async move { attempt_from(app, &format!("198.51.100.{i}")).await }
    }))
    .await;
    assert!(codes.contains(&429), "{codes:?}");
}

mod behind_a_trusted_proxy {
    use super::*;

    async fn run(backend: Backend) {
        let Some(app) = TestApp::spawn_with(backend, &[("LATCHKEY_TRUSTED_PROXIES", "127.0.0.1/32")]).await
        else {
            return;
        };
        attempt_from(&app, "6.6.6.6, 203.0.113.7").await;
        assert_eq!(
            last_login_ip(&app).await,
            "203.0.113.7",
            "the proxy's view of the client is used"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(Backend::Postgres).await;
    }
}
