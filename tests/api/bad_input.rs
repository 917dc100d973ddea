use latchkey_blackbox::{TestApp, expect_problem, on_both_stores};
use reqwest::Method;
use serde_json::{Value, json};

on_both_stores!(
    malformed_requests_get_4xx_never_5xx,
    hostile_text_is_refused_or_stored_verbatim
);

async fn malformed_requests_get_4xx_never_5xx(app: TestApp) {
    let admin = app.admin().await;
    let api = app.api();

    let p = expect_problem(
        api.raw(
            Method::POST,
            "/api/auth/login",
            "application/json",
            b"{nope".to_vec(),
        )
        .await,
        400,
        "invalid_body",
    )
    .await;
    assert!(!p.to_string().contains("panicked"));
    expect_problem(
        api.raw(Method::POST, "/api/auth/login", "application/json", vec![])
            .await,
        400,
        "invalid_body",
    )
    .await;
    let p = expect_problem(
        api.post("/api/auth/login", json!({"username": 5, "password": "x"}))
            .await,
        400,
        "invalid_body",
    )
    .await;
    assert_eq!(p["field"], "username");
    expect_problem(
        api.raw(
            Method::POST,
            "/api/auth/login",
            "text/plain",
            b"username=a".to_vec(),
        )
        .await,
        415,
        "unsupported_media_type",
    )
    .await;
    expect_problem(
        api.post("/api/auth/login", json!([1, 2, 3])).await,
        400,
        "invalid_body",
    )
    .await;

    let big = vec![b' '; 70 * 1024];
    expect_problem(
        api.raw(Method::POST, "/api/auth/login", "application/json", big)
            .await,
        413,
        "payload_too_large",
    )
    .await;
    let huge = format!(
        r#"{{"username":"{}","password":"x"}}"#,
        "a".repeat(10 * 1024 * 1024)
    );
    let res = api
        .raw(
            Method::POST,
            "/api/auth/login",
            "application/json",
            huge.into_bytes(),
        )
        .await;
    assert_eq!(res.status(), 413);

    let p = expect_problem(
        admin
            .post(
                "/api/admin/users",
                json!({"username": "a", "password": "x", "isAdmin": true}),
            )
            .await,
        400,
        "invalid_body",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("isAdmin"), "{p}");
    let p = expect_problem(
        admin
            .post("/api/admin/users", json!({"password": "amber-falcon-river-27"}))
            .await,
        400,
        "invalid_body",
    )
    .await;
    assert_eq!(p["field"], "username");
    let p = expect_problem(
        admin.put("/api/admin/users/1", json!({"disabled": "yes"})).await,
        400,
        "invalid_body",
    )
    .await;
    assert_eq!(p["field"], "disabled");

    expect_problem(api.get("/api/does-not-exist").await, 404, "route_not_found").await;
    // A documented path asked with another method: 405 saying which it has.
    let res = api
        .client
        .delete(app.url("/api/admin/limits"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "GET, POST");
    expect_problem(res, 405, "method_not_allowed").await;
    // A body is an object, even one whose fields are all optional.
    expect_problem(
        admin.post("/api/admin/limits", json!([null, null])).await,
        400,
        "invalid_body",
    )
    .await;
    // 60.0 is the integer 60, as the document's `integer` says; 60.5 is not.
    let res = admin
        .post("/api/admin/limits", json!({"guestPerMinute": 60.0}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["guestPerMinute"], 60);
    let p = expect_problem(
        admin
            .post("/api/admin/limits", json!({"guestPerMinute": 60.5}))
            .await,
        400,
        "invalid_body",
    )
    .await;
    assert_eq!(p["field"], "guestPerMinute");
    expect_problem(
        api.get(&format!("/api/auth/me?{}", "x=1&".repeat(10))).await,
        401,
        "unauthenticated",
    )
    .await;
    let res = api
        .client
        .get(app.url("/api/auth/me"))
        .header("authorization", "Bearer")
        .send()
        .await
        .unwrap();
    expect_problem(res, 401, "unauthenticated").await;
    let res = api
        .client
        .get(app.url("/api/auth/me"))
        .header("authorization", format!("Bearer {}", "x".repeat(9000)))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error());
    let res = api
        .client
        .get(app.url("/api/auth/me"))
        .header("cookie", "latchkey_session=%%%; other=1")
        .send()
        .await
        .unwrap();
    expect_problem(res, 401, "unauthenticated").await;
}

async fn hostile_text_is_refused_or_stored_verbatim(app: TestApp) {
    let admin = app.admin().await;
    for name in [
        "evil\nINFO forged line",
        "nul\u{0}byte",
        "rtl\u{202E}gnp.exe",
        "esc\u{1b}[31mred",
    ] {
        let res = admin
            .post(
                "/api/admin/users",
                json!({"username": name, "password": "amber-falcon-river-27"}),
            )
            .await;
        let p = expect_problem(res, 400, "validation_failed").await;
        assert_eq!(p["field"], "username");
    }
    let res = admin.post("/api/admin/users", json!({"username": "zoë-ñandú", "password": "amber-falcon-river-27", "structure": "Bâtiment <b>A</b> 'x'"})).await;
    assert_eq!(res.status(), 200);
    let user: Value = res.json().await.unwrap();
    assert_eq!(user["user"]["username"], "zoë-ñandú");
    assert_eq!(user["user"]["structure"], "Bâtiment <b>A</b> 'x'");
    // A login attempt with a hostile username is audited, not interpreted.
    let res = app
        .api()
        .post(
            "/api/auth/login",
            json!({"username": "x\r\nforged", "password": "whatever-whatever"}),
        )
        .await;
    expect_problem(res, 401, "invalid_credentials").await;
}
