use latchkey_blackbox::{ADMIN, ADMIN_PASSWORD, TestApp, expect_problem, on_both_stores};
use serde_json::{Value, json};

on_both_stores!(
    limits_validate_apply_at_once_and_survive_restart,
    authenticated_calls_are_limited_per_user
);

async fn limits_validate_apply_at_once_and_survive_restart(mut app: TestApp) {
    let admin = app.admin().await;
    let limits: Value = admin.get("/api/admin/limits").await.json().await.unwrap();
    assert!(limits["guestPerMinute"].as_u64().unwrap() >= 1);
    assert!(limits["authPerMinute"].as_u64().unwrap() >= 1);

    for (field, bad) in [
        ("authPerMinute", json!(0)),
        ("authPerMinute", json!(-1)),
        ("guestPerMinute", json!(1_000_001)),
        ("guestPerMinute", json!("60")),
        ("guestPerMinute", json!(1.5)),
    ] {
        let res = admin.post("/api/admin/limits", json!({ field: bad })).await;
        let p = expect_problem(
            res,
            400,
            if bad.is_string() || bad.is_f64() {
                "invalid_body"
            } else {
                "validation_failed"
            },
        )
        .await;
        assert_eq!(p["field"], field, "{bad}");
    }

    let res = admin
        .post(
            "/api/admin/limits",
            json!({"authPerMinute": 3, "guestPerMinute": 7}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"authPerMinute": 3, "guestPerMinute": 7})
    );

    // The very next login attempts from this address are counted against 3 a minute.
    let api = app.api();
    let mut statuses = vec![];
    for _ in 0..4 {
        let res = api
            .post(
                "/api/auth/login",
                json!({"username": ADMIN, "password": "wrong-wrong-wrong"}),
            )
            .await;
        statuses.push(res.status().as_u16());
        if res.status() == 429 {
            assert!(
                res.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap()
                    >= 1
            );
            expect_problem(res, 429, "rate_limited").await;
        }
    }
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 2, "{statuses:?}");

    // Persisted: a restarted process reads the same limits.
    app.restart().await;
    let admin = app.login_api(ADMIN, ADMIN_PASSWORD).await;
    let limits: Value = admin.get("/api/admin/limits").await.json().await.unwrap();
    assert_eq!(limits, json!({"authPerMinute": 3, "guestPerMinute": 7}));
}

async fn authenticated_calls_are_limited_per_user(app: TestApp) {
    let admin = app.admin().await;
    assert_eq!(
        admin
            .post("/api/admin/limits", json!({"authPerMinute": 5}))
            .await
            .status(),
        200
    );
    let mut codes = vec![];
    for _ in 0..6 {
        codes.push(admin.get("/api/auth/me").await.status().as_u16());
    }
    assert_eq!(codes.last(), Some(&429), "{codes:?}");
    // A 429 does not end the session: it still exists once the window passes,
    // and raising the limit applies to the next request.
    let fresh = app.admin().await; // login is limited per IP: 2nd login of 5 this minute
    let res = fresh.get("/api/auth/me").await;
    assert_eq!(
        res.status(),
        429,
        "the per-user budget is shared by all of a user's sessions"
    );
}
