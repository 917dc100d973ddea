use latchkey_blackbox::{ADMIN, ADMIN_PASSWORD, TestApp, expect_problem, on_both_stores};
use serde_json::{Value, json};

on_both_stores!(cookie_requests_need_csrf_bearer_requests_do_not);

async fn cookie_requests_need_csrf_bearer_requests_do_not(app: TestApp) {
    let browser = app.browser().await;
    assert_eq!(browser.login(ADMIN, ADMIN_PASSWORD).await.status(), 200);
    let body = json!({"guestPerMinute": 30});

    // Cookie-authenticated mutation without the token: refused.
    expect_problem(
        browser.post_without_csrf("/api/admin/limits", body.clone()).await,
        403,
        "csrf_failed",
    )
    .await;
    // With a wrong token: refused.
    let res = browser
        .request(reqwest::Method::POST, "/api/admin/limits")
        .header("x-csrf-token", "nope")
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_problem(res, 403, "csrf_failed").await;
    // With the token: accepted.
    let res = browser.post("/api/admin/limits", body.clone()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["guestPerMinute"], 30);
    // A browser-flagged cross-site request is refused even with the token.
    let res = browser
        .request(reqwest::Method::POST, "/api/admin/limits")
        .header("x-csrf-token", &browser.csrf)
        .header("sec-fetch-site", "cross-site")
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_problem(res, 403, "csrf_failed").await;
    // Reads need no token.
    assert_eq!(browser.get("/api/admin/limits").await.status(), 200);

    // Bearer-only: exempt.
    let api = app.admin().await;
    assert_eq!(api.post("/api/admin/limits", body.clone()).await.status(), 200);

    // Bearer plus the session cookie: the cookie makes it forgeable, so CSRF applies.
    let res = browser
        .request(reqwest::Method::POST, "/api/admin/limits")
        .bearer_auth(api.token.as_ref().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_problem(res, 403, "csrf_failed").await;
}
