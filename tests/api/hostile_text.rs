//! Hostile free text in guest links and templates: control characters, NUL, bidi
//! overrides, ANSI escapes and huge strings are refused with a 4xx naming the field;
//! legitimate but unusual text (accents, emoji, markup) is stored verbatim and escaped
//! where it is shown to a guest.

use latchkey_blackbox::guest::{create_link, link_body, linked_resident, token_of};
use latchkey_blackbox::{TestApp, expect_problem, on_both_stores};
use reqwest::Method;
use serde_json::{Value, json};
use time::Duration;

on_both_stores!(
    hostile_labels_and_template_names_are_refused,
    unusual_but_honest_labels_are_kept_verbatim_and_escaped_on_the_page
);

const HOSTILE: [&str; 7] = [
    "Plumber\nINFO forged line",
    "Plumber\r\nINFO forged",
    "nul\u{0}byte",
    "rtl\u{202E}gnp.exe",
    "esc\u{1b}[31mred",
    "bell\u{7}",
    "c1\u{85}next-line",
];

async fn hostile_labels_and_template_names_are_refused(app: TestApp) {
    let (me, account) = linked_resident(&app, "mallory").await;
    for label in HOSTILE {
        let mut body = link_body(account, -Duration::hours(1), Duration::hours(1), Some(1));
        body["label"] = json!(label);
        let p = expect_problem(me.post("/api/guest-links", body).await, 400, "validation_failed").await;
        assert_eq!(p["field"], "label", "{label:?}");
        let p = expect_problem(
            me.post(
                "/api/guest-link-templates",
                json!({"name": label, "durationHours": 4}),
            )
            .await,
            400,
            "validation_failed",
        )
        .await;
        assert_eq!(p["field"], "name", "{label:?}");
    }
    // One character over the limit, counted in characters, not bytes.
    let mut body = link_body(account, -Duration::hours(1), Duration::hours(1), Some(1));
    body["label"] = json!("é".repeat(101));
    let p = expect_problem(me.post("/api/guest-links", body).await, 400, "validation_failed").await;
    assert_eq!(p["field"], "label");
    // 10 MB of label never reaches the parser: the body limit answers first.
    let mut body = link_body(account, -Duration::hours(1), Duration::hours(1), Some(1));
    body["label"] = json!("A".repeat(10 * 1024 * 1024));
    let res = me
        .raw(
            Method::POST,
            "/api/guest-links",
            "application/json",
            body.to_string().into_bytes(),
        )
        .await;
    expect_problem(res, 413, "payload_too_large").await;
    // Nothing of the above was stored.
    let links: Value = me.get("/api/guest-links").await.json().await.unwrap();
    assert_eq!(links["links"], json!([]), "{links}");
    let templates: Value = me.get("/api/guest-link-templates").await.json().await.unwrap();
    assert_eq!(templates["templates"], json!([]), "{templates}");
}

async fn unusual_but_honest_labels_are_kept_verbatim_and_escaped_on_the_page(app: TestApp) {
    let (me, account) = linked_resident(&app, "honest").await;
    let label = "Zoë's <script>alert(1)</script> & \"ñandú\" 🚪 – 3B";
    let mut body = link_body(account, -Duration::hours(1), Duration::hours(1), Some(1));
    body["label"] = json!(label);
    let link = create_link(&me, body).await;
    assert_eq!(link["label"], label);
    let token = token_of(&link);
    let view: Value = app
        .api()
        .get(&format!("/api/guest/{token}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["label"], label, "{view}");
    let page = app
        .api()
        .client
        .get(app.url(&format!("/g/{token}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("<script>alert(1)"),
        "markup is escaped on the page"
    );
    assert!(page.contains("&lt;script&gt;alert(1)"), "and still shown: {page}");
    // Longest allowed label: 100 characters of 4 bytes each.
    let mut body = link_body(account, -Duration::hours(1), Duration::hours(1), Some(1));
    body["label"] = json!("🚪".repeat(100));
    assert_eq!(create_link(&me, body).await["label"], "🚪".repeat(100));
}
