//! The public guest API: viewing never uses a link, unlocking counts exactly, failures
//! give the use back, every attempt is audited by link id, the per-address limit holds.

use std::time::{Duration as StdDuration, Instant};

use futures::future::join_all;
use latchkey_blackbox::guest::{
    active_link, create_link, guest_unlock, lift_guest_limit, link_body, linked_resident, set_limits,
    token_of, uses_of,
};
use latchkey_blackbox::{FRONT_DOOR, TestApp, expect_problem, on_both_stores};
use latchkey_ring_sim::{Endpoint, Fault};
use serde_json::{Value, json};
use time::Duration;

on_both_stores!(
    viewing_never_uses_a_link,
    unknown_tokens_are_404_for_view_and_unlock,
    pending_links_are_403_and_used_up_links_410,
    exactly_max_uses_of_101_concurrent_unlocks_succeed,
    ring_failures_give_the_use_back_and_are_never_retried,
    every_attempt_is_audited_by_link_id_never_by_token,
    guest_per_minute_limits_each_address_from_the_next_request
);

async fn viewing_never_uses_a_link(app: TestApp) {
    let (me, account) = linked_resident(&app, "viewer").await;
    let link = active_link(&me, account, Some(1)).await;
    let token = token_of(&link);
    let before = app.sim.handle().unlock_calls(FRONT_DOOR);
    for ua in [
        "Slackbot-LinkExpanding 1.0",
        "facebookexternalhit/1.1",
        "Mozilla/5.0",
    ] {
        let res = app
            .api()
            .client
            .get(app.url(&format!("/api/guest/{token}")))
            .header("user-agent", ua)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let head = app
            .api()
            .client
            .head(app.url(&format!("/g/{token}")))
            .send()
            .await
            .unwrap();
        assert!(head.status().as_u16() < 500);
    }
    assert_eq!(uses_of(&me, &link["id"]).await, 0);
    assert_eq!(app.sim.handle().unlock_calls(FRONT_DOOR), before);
    assert_eq!(
        guest_unlock(&app, &token).await.status(),
        200,
        "still the one use left"
    );
}

async fn unknown_tokens_are_404_for_view_and_unlock(app: TestApp) {
    let unknown = "A".repeat(43);
    for token in [unknown.as_str(), "short", "%00", "..%2F..%2Fetc"] {
        expect_problem(
            app.api().get(&format!("/api/guest/{token}")).await,
            404,
            "not_found",
        )
        .await;
        expect_problem(guest_unlock(&app, token).await, 404, "not_found").await;
    }
}

async fn pending_links_are_403_and_used_up_links_410(app: TestApp) {
    let (me, account) = linked_resident(&app, "pending").await;
    let pending = create_link(
        &me,
        link_body(account, Duration::hours(1), Duration::hours(2), Some(1)),
    )
    .await;
    let before = app.sim.handle().unlock_calls(FRONT_DOOR);
    expect_problem(
        guest_unlock(&app, &token_of(&pending)).await,
        403,
        "link_not_active",
    )
    .await;

    let once = active_link(&me, account, Some(1)).await;
    let res = guest_unlock(&app, &token_of(&once)).await;
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    expect_problem(guest_unlock(&app, &token_of(&once)).await, 410, "link_used_up").await;
    let public: Value = app
        .api()
        .get(&format!("/api/guest/{}", token_of(&once)))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (public["state"].as_str(), public["valid"].as_bool()),
        (Some("used_up"), Some(false))
    );
    assert_eq!(app.sim.handle().unlock_calls(FRONT_DOOR), before + 1);
}

async fn exactly_max_uses_of_101_concurrent_unlocks_succeed(app: TestApp) {
    let (me, account) = linked_resident(&app, "party").await;
    lift_guest_limit(&app).await;
    let link = active_link(&me, account, Some(5)).await;
    let token = token_of(&link);
    // Warm the Ring session so the race is about the reservation, not the login.
    assert_eq!(me.get("/api/ring/summary").await.status(), 200);
    let before = app.sim.handle().unlock_calls(FRONT_DOOR);
    let client = reqwest::Client::new();
    let url = app.url(&format!("/api/guest/{token}/unlock"));
    let statuses = join_all((0..101).map(|_| {
        let (client, url) = (client.clone(), url.clone());
        async move { client.post(url).send().await.unwrap().status().as_u16() }
    }))
    .await;
    let ok = statuses.iter().filter(|s| **s == 200).count();
    let gone = statuses.iter().filter(|s| **s == 410).count();
    assert_eq!((ok, gone), (5, 96), "{statuses:?}");
    assert_eq!(app.sim.handle().unlock_calls(FRONT_DOOR), before + 5);
    assert_eq!(uses_of(&me, &link["id"]).await, 5);
}

async fn ring_failures_give_the_use_back_and_are_never_retried(app: TestApp) {
    let (me, account) = linked_resident(&app, "unlucky").await;
    lift_guest_limit(&app).await;
    let link = active_link(&me, account, Some(1)).await;
    let token = token_of(&link);
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
    for (fault, status, code) in cases {
        let before = sim.unlock_calls(FRONT_DOOR);
        sim.inject_times(Endpoint::Unlock, fault, 1);
        let started = Instant::now();
        let res = guest_unlock(&app, &token).await;
        assert!(
            started.elapsed() < StdDuration::from_secs(3),
            "{code}: within the 2 s deadline + 1 s"
        );
        expect_problem(res, status, code).await;
        assert_eq!(
            sim.unlock_calls(FRONT_DOOR),
            before + 1,
            "{code}: exactly one call reached Ring"
        );
        assert_eq!(
            uses_of(&me, &link["id"]).await,
            0,
            "{code}: the use was given back"
        );
    }
    assert_eq!(
        guest_unlock(&app, &token).await.status(),
        200,
        "the one use still works"
    );
    assert_eq!(uses_of(&me, &link["id"]).await, 1);
}

async fn every_attempt_is_audited_by_link_id_never_by_token(app: TestApp) {
    let (me, account) = linked_resident(&app, "audited").await;
    let link = active_link(&me, account, Some(1)).await;
    let token = token_of(&link);
    let client = reqwest::Client::new();
    let res = client
        .post(app.url(&format!("/api/guest/{token}/unlock")))
        .header("user-agent", "GuestPhone/1.0")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    expect_problem(guest_unlock(&app, &token).await, 410, "link_used_up").await;
    expect_problem(guest_unlock(&app, &"B".repeat(43)).await, 404, "not_found").await;

    let mine = me.get("/api/audit?pageSize=10").await.text().await.unwrap();
    assert!(!mine.contains(&token), "the token never reaches the audit");
    let mine: Value = serde_json::from_str(&mine).unwrap();
    let events = mine["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "the owner sees their link's attempts: {mine}");
    assert_eq!(events[0]["actor"], "guest");
    assert_eq!(events[0]["guestLinkId"], link["id"]);
    assert_eq!(events[0]["errorCode"], "link_used_up");
    assert_eq!(events[1]["outcome"], "opened");
    assert_eq!(events[1]["userAgent"], "GuestPhone/1.0");
    assert_eq!(events[1]["ip"], "127.0.0.1");
    assert_eq!(events[1]["intercomId"], FRONT_DOOR);

    // The unknown token's attempt has no owner: only admins see it.
    let all: Value = app
        .admin()
        .await
        .get("/api/admin/audit?pageSize=10")
        .await
        .json()
        .await
        .unwrap();
    let first = &all["events"][0];
    assert_eq!(
        (first["actor"].as_str(), first["errorCode"].as_str()),
        (Some("guest"), Some("not_found"))
    );
    assert_eq!(first["guestLinkId"], Value::Null);
}

async fn guest_per_minute_limits_each_address_from_the_next_request(app: TestApp) {
    let (me, account) = linked_resident(&app, "limited").await;
    let link = active_link(&me, account, None).await;
    let token = token_of(&link);
    set_limits(&app, json!({"guestPerMinute": 3})).await;
    for _ in 0..3 {
        assert_eq!(app.api().get(&format!("/api/guest/{token}")).await.status(), 200);
    }
    let res = app.api().get(&format!("/api/guest/{token}")).await;
    assert!(res.headers().get("retry-after").is_some());
    expect_problem(res, 429, "rate_limited").await;
    let before = app.sim.handle().unlock_calls(FRONT_DOOR);
    expect_problem(guest_unlock(&app, &token).await, 429, "rate_limited").await;
    assert_eq!(app.sim.handle().unlock_calls(FRONT_DOOR), before);
    let all: Value = app
        .admin()
        .await
        .get("/api/admin/audit?pageSize=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        all["events"][0]["errorCode"], "rate_limited",
        "429s are audited too"
    );
    // A different address is not affected (trusted proxies are off, so the limit is
    // per TCP peer; all test clients share 127.0.0.1 — lifting the limit frees them).
    lift_guest_limit(&app).await;
    assert_eq!(app.api().get(&format!("/api/guest/{token}")).await.status(), 200);
}
