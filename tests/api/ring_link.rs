use latchkey_blackbox::{
    FRONT_DOOR, RESIDENT_PASSWORD, RING_CODE, RING_EMAIL, RING_PASSWORD, SIDE_DOOR, TestApp, expect_problem,
    on_both_stores,
};
use serde_json::{Value, json};

on_both_stores!(
    two_factor_link_then_unlock_end_to_end,
    refresh_token_save_and_test,
    accounts_keep_exactly_one_default
);

pub async fn resident(app: &TestApp, name: &str) -> latchkey_blackbox::Api {
    let admin = app.admin().await;
    app.create_resident(&admin, name).await;
    app.login_api(name, RESIDENT_PASSWORD).await
}

async fn two_factor_link_then_unlock_end_to_end(app: TestApp) {
    let me = resident(&app, "ringer").await;
    let res = me
        .post(
            "/api/ring/auth/start",
            json!({"email": RING_EMAIL, "password": RING_PASSWORD, "accountLabel": "Home"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let start: Value = res.json().await.unwrap();
    assert_eq!(start["requires2fa"], true, "{start}");
    assert!(
        start["prompt"].as_str().unwrap().len() > 5,
        "a human prompt: {start}"
    );
    assert!(start["expiresAt"].is_string());
    let session = start["authSessionId"].as_i64().unwrap();

    let wrong = me
        .post(
            "/api/ring/auth/verify",
            json!({"authSessionId": session, "code": "000000"}),
        )
        .await;
    expect_problem(wrong, 400, "ring_2fa_invalid").await;
    let res = me
        .post(
            "/api/ring/auth/verify",
            json!({"authSessionId": session, "code": RING_CODE}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let linked: Value = res.json().await.unwrap();
    assert!(linked["refreshToken"].as_str().unwrap().len() > 10);
    let account_id = linked["ringAccountId"].as_i64().unwrap();
    // The attempt is consumed: its credentials are gone.
    let again = me
        .post(
            "/api/ring/auth/verify",
            json!({"authSessionId": session, "code": RING_CODE}),
        )
        .await;
    expect_problem(again, 404, "not_found").await;

    let accounts: Value = me.get("/api/ring/accounts").await.json().await.unwrap();
    let account = &accounts["accounts"][0];
    assert_eq!(account["id"], account_id);
    assert_eq!(account["label"], "Home");
    assert_eq!(account["isDefault"], true);
    assert_eq!(account["status"], "linked");
    assert!(
        !accounts
            .to_string()
            .contains(linked["refreshToken"].as_str().unwrap()),
        "no token in listings"
    );

    let status: Value = me.get("/api/ring/status").await.json().await.unwrap();
    assert_eq!(status["configured"], true);
    let summary: Value = me.get("/api/ring/summary").await.json().await.unwrap();
    let intercoms = summary["summary"][0]["intercoms"].as_array().unwrap();
    let ids: Vec<i64> = intercoms.iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&FRONT_DOOR) && ids.contains(&SIDE_DOOR), "{summary}");
    let front = intercoms.iter().find(|i| i["id"] == FRONT_DOOR).unwrap();
    assert_eq!(front["name"], "Front door");

    let res = me
        .post("/api/ring/unlock", json!({"intercomId": FRONT_DOOR}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    assert_eq!(app.sim.handle().unlock_calls(FRONT_DOOR), 1);

    let audit: Value = me.get("/api/audit").await.json().await.unwrap();
    let event = &audit["events"][0];
    assert_eq!(event["outcome"], "opened");
    assert_eq!(event["intercomId"], FRONT_DOOR);
    assert_eq!(event["ringAccountId"], account_id);
    assert_eq!(event["actor"], "user");
    assert_eq!(event["ip"], "127.0.0.1");

    let admin = app.admin().await;
    let all: Value = admin.get("/api/admin/audit").await.json().await.unwrap();
    assert_eq!(all["total"], 1);
    assert_eq!(all["page"], 1);
    let user_id = event["userId"].as_i64().unwrap();
    let mine: Value = admin
        .get(&format!("/api/admin/audit?userId={user_id}&page=1&pageSize=10"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["events"].as_array().unwrap().len(), 1);
    let none: Value = admin
        .get("/api/admin/audit?userId=999999")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["total"], 0);

    let devices: Value = admin.get("/api/admin/devices").await.json().await.unwrap();
    let entry = devices["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "ringer")
        .unwrap()
        .clone();
    assert_eq!(entry["accounts"][0]["intercoms"].as_array().unwrap().len(), 2);
}

async fn refresh_token_save_and_test(app: TestApp) {
    let me = resident(&app, "paster").await;
    let token = app.sim.handle().issue_refresh_token(RING_EMAIL).unwrap();
    let res = me
        .post(
            "/api/ring/refresh-token/test",
            json!({"refreshToken": "not-a-real-token"}),
        )
        .await;
    expect_problem(res, 400, "ring_token_invalid").await;
    let res = me
        .post("/api/ring/refresh-token/test", json!({"refreshToken": token}))
        .await;
    assert_eq!(res.status(), 200);
    let tested: Value = res.json().await.unwrap();
    assert_eq!(tested["ok"], true);
    assert!(!tested["locations"].as_array().unwrap().is_empty());

    // Testing rotated the simulator's single-use token, so store a fresh one.
    let token = app.sim.handle().issue_refresh_token(RING_EMAIL).unwrap();
    let res = me
        .post(
            "/api/ring/refresh-token",
            json!({"refreshToken": token, "accountLabel": "Pasted"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let saved: Value = res.json().await.unwrap();
    assert_eq!(saved["ok"], true);
    let id = saved["ringAccountId"].as_i64().unwrap();
    let res = me
        .post(
            "/api/ring/unlock",
            json!({"intercomId": SIDE_DOOR, "ringAccountId": id}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.sim.handle().unlock_calls(SIDE_DOOR), 1);
    expect_problem(
        me.post("/api/ring/refresh-token", json!({"refreshToken": ""}))
            .await,
        400,
        "validation_failed",
    )
    .await;
}

async fn accounts_keep_exactly_one_default(app: TestApp) {
    let me = resident(&app, "twohomes").await;
    let a: Value = me
        .post("/api/ring/accounts", json!({"label": "Home"}))
        .await
        .json()
        .await
        .unwrap();
    let b: Value = me
        .post("/api/ring/accounts", json!({"label": "Office"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(a["account"]["isDefault"], true);
    assert_eq!(b["account"]["isDefault"], false);
    assert_eq!(a["account"]["status"], "unlinked");
    let (a, b) = (
        a["account"]["id"].as_i64().unwrap(),
        b["account"]["id"].as_i64().unwrap(),
    );

    let res = me
        .client
        .patch(format!("{}/api/ring/accounts/{b}", me.base))
        .bearer_auth(me.token.as_ref().unwrap())
        .json(&json!({"isDefault": true, "label": "Work"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["account"]["label"], "Work");
    assert_eq!(updated["account"]["isDefault"], true);
    let list: Value = me.get("/api/ring/accounts").await.json().await.unwrap();
    let defaults: Vec<i64> = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["isDefault"] == true)
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    assert_eq!(defaults, vec![b]);

    let res = me
        .client
        .patch(format!("{}/api/ring/accounts/{b}", me.base))
        .bearer_auth(me.token.as_ref().unwrap())
        .json(&json!({"isDefault": false}))
        .send()
        .await
        .unwrap();
    expect_problem(res, 400, "validation_failed").await;
    expect_problem(
        me.post("/api/ring/accounts", json!({"label": "  "})).await,
        400,
        "validation_failed",
    )
    .await;

    // Deleting the default promotes the other.
    assert_eq!(me.delete(&format!("/api/ring/accounts/{b}")).await.status(), 200);
    let list: Value = me.get("/api/ring/accounts").await.json().await.unwrap();
    assert_eq!(list["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(list["accounts"][0]["id"], a);
    assert_eq!(list["accounts"][0]["isDefault"], true);
    expect_problem(
        me.delete(&format!("/api/ring/accounts/{b}")).await,
        404,
        "not_found",
    )
    .await;
    // Unlinked: unlock says so clearly.
    expect_problem(
        me.post("/api/ring/unlock", json!({"intercomId": FRONT_DOOR}))
            .await,
        409,
        "ring_not_linked",
    )
    .await;
}

on_both_stores!(
    verification_codes_are_capped,
    health_history_fills_from_the_poller
);

async fn verification_codes_are_capped(app: TestApp) {
    let me = resident(&app, "impatient").await;
    for _ in 0..3 {
        let res = me
            .post(
                "/api/ring/auth/start",
                json!({"email": RING_EMAIL, "password": RING_PASSWORD}),
            )
            .await;
        assert_eq!(res.json::<Value>().await.unwrap()["requires2fa"], true);
    }
    let sent = app.sim.handle().counters().codes_sent;
    let res = me
        .post(
            "/api/ring/auth/start",
            json!({"email": RING_EMAIL, "password": RING_PASSWORD}),
        )
        .await;
    assert!(res.headers().contains_key("retry-after"));
    expect_problem(res, 429, "ring_2fa_rate_limited").await;
    assert_eq!(
        app.sim.handle().counters().codes_sent,
        sent,
        "Ring was not asked for a 4th code"
    );
    let res = me
        .post(
            "/api/ring/auth/start",
            json!({"email": "", "password": RING_PASSWORD}),
        )
        .await;
    expect_problem(res, 400, "validation_failed").await;
    let res = me
        .post(
            "/api/ring/auth/verify",
            json!({"authSessionId": 424242, "code": "123456"}),
        )
        .await;
    expect_problem(res, 404, "not_found").await;
}

async fn health_history_fills_from_the_poller(app: TestApp) {
    let me = resident(&app, "watcher").await;
    let token = app.sim.handle().issue_refresh_token(RING_EMAIL).unwrap();
    me.post("/api/ring/refresh-token", json!({"refreshToken": token}))
        .await;
    let mut history = Value::Null;
    for _ in 0..50 {
        history = me
            .get(&format!("/api/ring/health/history?intercomId={FRONT_DOOR}"))
            .await
            .json()
            .await
            .unwrap();
        if !history["history"].as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let snap = &history["history"][0];
    assert_eq!(snap["intercomId"], FRONT_DOOR, "{history}");
    assert!(snap["takenAt"].is_string());
    expect_problem(me.get("/api/ring/health/history").await, 400, "invalid_query").await;
    expect_problem(
        me.get("/api/ring/health/history?intercomId=abc").await,
        400,
        "invalid_query",
    )
    .await;
    // Someone else sees nothing of it.
    let other = resident(&app, "stranger").await;
    let theirs: Value = other
        .get(&format!("/api/ring/health/history?intercomId={FRONT_DOOR}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs["history"].as_array().unwrap().is_empty());
}
