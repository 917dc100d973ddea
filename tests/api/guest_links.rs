//! A resident's guest links and templates: create, list, disable, move the expiry;
//! other users' links, templates, accounts and intercoms are 404.

use latchkey_blackbox::guest::{active_link, create_link, link_body, linked_resident, token_of};
use latchkey_blackbox::{FRONT_DOOR, NEIGHBOUR_DOOR, TestApp, expect_problem, on_both_stores};
use serde_json::{Value, json};
use time::Duration;

on_both_stores!(
    links_carry_state_uses_and_a_working_url,
    bad_windows_limits_and_labels_are_400_naming_the_field,
    other_users_links_accounts_and_intercoms_are_404,
    templates_fill_duration_and_limit,
    disabling_is_final_and_answered_410,
    expiry_moves_and_revives_but_not_disabled_or_used_up
);

async fn links_carry_state_uses_and_a_working_url(app: TestApp) {
    let (me, account) = linked_resident(&app, "host").await;
    let link = active_link(&me, account, Some(3)).await;
    let token = token_of(&link);
    assert_eq!(token.len(), 43, "256 bits, base64url");
    assert_eq!(link["url"], format!("{}/g/{token}", app.base));
    assert_eq!(link["state"], "active");
    assert_eq!(link["valid"], true);
    assert_eq!(
        (link["uses"].as_i64(), link["remainingUses"].as_i64()),
        (Some(0), Some(3))
    );
    assert_eq!(link["intercomId"], FRONT_DOOR);
    assert_eq!(link["ringAccountId"], account);
    assert_eq!(link["label"], "Plumber");

    let pending = create_link(
        &me,
        link_body(account, Duration::hours(1), Duration::hours(2), None),
    )
    .await;
    assert_eq!(pending["state"], "pending");
    assert_eq!(pending["maxUses"], Value::Null);
    assert_eq!(pending["remainingUses"], Value::Null);

    let list: Value = me.get("/api/guest-links").await.json().await.unwrap();
    let links = list["links"].as_array().unwrap();
    assert_eq!(links.len(), 2);
    assert_eq!(links[0]["id"], pending["id"], "newest first");
    assert_eq!(links[1]["url"], link["url"], "the owner can copy the URL again");

    // The public view of the same link.
    let public: Value = app
        .api()
        .get(&format!("/api/guest/{token}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["token"], token);
    assert_eq!(public["label"], "Plumber");
    assert_eq!(public["startsAt"], link["startsAt"]);
    assert_eq!(public["expiresAt"], link["expiresAt"]);
    assert_eq!(
        (public["valid"].as_bool(), public["state"].as_str()),
        (Some(true), Some("active"))
    );
}

async fn bad_windows_limits_and_labels_are_400_naming_the_field(app: TestApp) {
    let (me, account) = linked_resident(&app, "careful").await;
    let h = Duration::hours;
    let cases: Vec<(Value, &str)> = vec![
        (link_body(account, h(2), h(1), None), "expiresAt"),
        (link_body(account, h(0), Duration::days(91), None), "expiresAt"),
        (link_body(account, -h(3), -h(1), None), "expiresAt"),
        (link_body(account, h(0), h(1), Some(0)), "maxUses"),
        (link_body(account, h(0), h(1), Some(1001)), "maxUses"),
        (
            json!({"intercomId": FRONT_DOOR, "ringAccountId": account, "startsAt": "tomorrow", "expiresAt": "2099-01-01T00:00:00Z"}),
            "startsAt",
        ),
        (
            json!({"intercomId": FRONT_DOOR, "ringAccountId": account, "label": "a\u{202E}b", "expiresAt": "2099-01-01T00:00:00Z"}),
            "label",
        ),
        (
            json!({"intercomId": FRONT_DOOR, "ringAccountId": account}),
            "expiresAt",
        ),
    ];
    for (body, field) in cases {
        let problem = expect_problem(
            me.post("/api/guest-links", body.clone()).await,
            400,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["field"], field, "{body}");
    }
    // The boundaries themselves are accepted.
    let start = time::OffsetDateTime::now_utc() + h(1);
    let fmt = |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).unwrap();
    create_link(
        &me,
        json!({"intercomId": FRONT_DOOR, "ringAccountId": account, "startsAt": fmt(start),
               "expiresAt": fmt(start + Duration::days(90)), "maxUses": 1000}),
    )
    .await;
    create_link(&me, link_body(account, h(0), h(1), Some(1))).await;
    let list: Value = me.get("/api/guest-links").await.json().await.unwrap();
    assert_eq!(
        list["links"].as_array().unwrap().len(),
        2,
        "nothing invalid was stored"
    );
}

async fn other_users_links_accounts_and_intercoms_are_404(app: TestApp) {
    let (alice, alices_account) = linked_resident(&app, "alice").await;
    let (bob, _) = linked_resident(&app, "bob").await;
    let link = active_link(&alice, alices_account, None).await;
    let id = link["id"].as_i64().unwrap();

    expect_problem(
        bob.delete(&format!("/api/guest-links/{id}")).await,
        404,
        "not_found",
    )
    .await;
    let expiry = json!({"expiresAt": "2099-01-01T00:00:00Z"});
    expect_problem(
        bob.patch(&format!("/api/guest-links/{id}/expires-at"), expiry.clone())
            .await,
        404,
        "not_found",
    )
    .await;
    expect_problem(
        bob.put(&format!("/api/guest-links/{id}/expires-at"), expiry)
            .await,
        404,
        "not_found",
    )
    .await;
    let bobs: Value = bob.get("/api/guest-links").await.json().await.unwrap();
    assert_eq!(bobs["links"], json!([]));
    // Bob cannot hang a link on Alice's Ring account.
    let body = link_body(alices_account, -Duration::hours(1), Duration::hours(1), None);
    expect_problem(bob.post("/api/guest-links", body).await, 404, "not_found").await;
    // Nor can Alice on an intercom her account does not have.
    let mut body = link_body(alices_account, -Duration::hours(1), Duration::hours(1), None);
    body["intercomId"] = json!(NEIGHBOUR_DOOR);
    expect_problem(alice.post("/api/guest-links", body).await, 404, "not_found").await;
    // Bad ids are 400; strangers 401.
    expect_problem(alice.delete("/api/guest-links/abc").await, 400, "invalid_id").await;
    expect_problem(app.api().get("/api/guest-links").await, 401, "unauthenticated").await;
    // Alice's link is untouched.
    let still: Value = alice.get("/api/guest-links").await.json().await.unwrap();
    assert_eq!(still["links"][0]["state"], "active");
}

async fn templates_fill_duration_and_limit(app: TestApp) {
    let (me, account) = linked_resident(&app, "templater").await;
    let (other, _) = linked_resident(&app, "other").await;
    let res = me
        .post(
            "/api/guest-link-templates",
            json!({"name": "Cleaner", "durationHours": 3, "maxUses": 2}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let template = res.json::<Value>().await.unwrap()["template"].clone();
    assert_eq!(
        (
            template["name"].as_str(),
            template["durationHours"].as_i64(),
            template["maxUses"].as_i64()
        ),
        (Some("Cleaner"), Some(3), Some(2))
    );
    let tid = template["id"].as_i64().unwrap();
    for (body, field) in [
        (json!({"name": "", "durationHours": 3}), "name"),
        (json!({"name": "x", "durationHours": 0}), "durationHours"),
        (json!({"name": "x", "durationHours": 2161}), "durationHours"),
        (json!({"name": "x", "durationHours": 1, "maxUses": 0}), "maxUses"),
    ] {
        let p = expect_problem(
            me.post("/api/guest-link-templates", body).await,
            400,
            "validation_failed",
        )
        .await;
        assert_eq!(p["field"], field);
    }

    let starts = latchkey_blackbox::guest::from_now(Duration::ZERO);
    let link = create_link(
        &me,
        json!({"intercomId": FRONT_DOOR, "ringAccountId": account, "templateId": tid, "startsAt": starts, "label": "Tuesday"}),
    )
    .await;
    assert_eq!(link["maxUses"], 2);
    let starts_at = time::OffsetDateTime::parse(
        link["startsAt"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let expires_at = time::OffsetDateTime::parse(
        link["expiresAt"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(expires_at - starts_at, Duration::hours(3));

    // Someone else's template is unknown to them, for listing, use and deletion.
    let theirs: Value = other.get("/api/guest-link-templates").await.json().await.unwrap();
    assert_eq!(theirs["templates"], json!([]));
    expect_problem(
        other
            .post(
                "/api/guest-links",
                json!({"intercomId": FRONT_DOOR, "templateId": tid}),
            )
            .await,
        404,
        "not_found",
    )
    .await;
    expect_problem(
        other.delete(&format!("/api/guest-link-templates/{tid}")).await,
        404,
        "not_found",
    )
    .await;

    let res = me.delete(&format!("/api/guest-link-templates/{tid}")).await;
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    let mine: Value = me.get("/api/guest-link-templates").await.json().await.unwrap();
    assert_eq!(mine["templates"], json!([]));
    let links: Value = me.get("/api/guest-links").await.json().await.unwrap();
    assert_eq!(links["links"][0]["maxUses"], 2, "links keep their values");
}

async fn disabling_is_final_and_answered_410(app: TestApp) {
    let (me, account) = linked_resident(&app, "revoker").await;
    let link = active_link(&me, account, None).await;
    let (id, token) = (link["id"].as_i64().unwrap(), token_of(&link));
    let res = me.delete(&format!("/api/guest-links/{id}")).await;
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"ok": true}));
    // Idempotent.
    assert_eq!(me.delete(&format!("/api/guest-links/{id}")).await.status(), 200);
    let public: Value = app
        .api()
        .get(&format!("/api/guest/{token}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (public["state"].as_str(), public["valid"].as_bool()),
        (Some("disabled"), Some(false))
    );
    let before = app.sim.handle().unlock_calls(FRONT_DOOR);
    expect_problem(
        latchkey_blackbox::guest::guest_unlock(&app, &token).await,
        410,
        "link_disabled",
    )
    .await;
    assert_eq!(
        app.sim.handle().unlock_calls(FRONT_DOOR),
        before,
        "Ring never asked"
    );
}

async fn expiry_moves_and_revives_but_not_disabled_or_used_up(app: TestApp) {
    let (me, account) = linked_resident(&app, "extender").await;
    latchkey_blackbox::guest::lift_guest_limit(&app).await;
    // Expires in a second: wait, see it expired, then revive it.
    let link = create_link(
        &me,
        link_body(account, -Duration::hours(1), Duration::seconds(1), None),
    )
    .await;
    let (id, token) = (link["id"].as_i64().unwrap(), token_of(&link));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    expect_problem(
        latchkey_blackbox::guest::guest_unlock(&app, &token).await,
        410,
        "link_expired",
    )
    .await;

    let new_expiry = "2099-01-01T00:00:00.000Z";
    let res = me
        .patch(
            &format!("/api/guest-links/{id}/expires-at"),
            json!({"expiresAt": new_expiry}),
        )
        .await;
    // The window may be at most 90 days long.
    let p = expect_problem(res, 400, "validation_failed").await;
    assert_eq!(p["field"], "expiresAt");

    let soon = latchkey_blackbox::guest::from_now(Duration::days(2));
    let res = me
        .put(
            &format!("/api/guest-links/{id}/expires-at"),
            json!({"expiresAt": soon}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ok"], true);
    assert!(body["expiresAt"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        latchkey_blackbox::guest::guest_unlock(&app, &token)
            .await
            .status(),
        200,
        "revived"
    );

    let past = latchkey_blackbox::guest::from_now(-Duration::minutes(1));
    let p = expect_problem(
        me.put(
            &format!("/api/guest-links/{id}/expires-at"),
            json!({"expiresAt": past}),
        )
        .await,
        400,
        "validation_failed",
    )
    .await;
    assert_eq!(p["field"], "expiresAt");

    let used = active_link(&me, account, Some(1)).await;
    assert_eq!(
        latchkey_blackbox::guest::guest_unlock(&app, &token_of(&used))
            .await
            .status(),
        200
    );
    let later = json!({"expiresAt": latchkey_blackbox::guest::from_now(Duration::days(3))});
    expect_problem(
        me.put(
            &format!("/api/guest-links/{}/expires-at", used["id"]),
            later.clone(),
        )
        .await,
        409,
        "link_used_up",
    )
    .await;
    assert_eq!(me.delete(&format!("/api/guest-links/{id}")).await.status(), 200);
    expect_problem(
        me.put(&format!("/api/guest-links/{id}/expires-at"), later).await,
        409,
        "link_disabled",
    )
    .await;
}
