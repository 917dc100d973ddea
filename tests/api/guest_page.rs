//! The guest page `GET /g/{token}`: its headers and error pages over plain HTTP, then a
//! real headless Chromium loading it and pressing "Open door" (see
//! `support/browser.rs`; skipped loudly without Chromium, except under CI).

use std::time::Duration as StdDuration;

use latchkey_blackbox::browser::Chrome;
use latchkey_blackbox::guest::{active_link, linked_resident, token_of, uses_of};
use latchkey_blackbox::{FRONT_DOOR, TestApp, on_both_stores};
use serde_json::json;

on_both_stores!(
    page_and_assets_carry_strict_headers_and_errors_are_html,
    browser_opens_the_door_once_per_press_and_viewing_changes_nothing,
    browser_says_used_up_when_a_single_use_link_is_pressed_again
);

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const OUTCOME_WAIT: StdDuration = StdDuration::from_secs(20);

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

fn assert_guest_headers(res: &reqwest::Response, content_type: &str) {
    assert_eq!(header(res, "content-type"), content_type);
    assert_eq!(header(res, "content-security-policy"), CSP);
    assert_eq!(header(res, "referrer-policy"), "no-referrer");
    assert_eq!(header(res, "cache-control"), "no-store");
    assert_eq!(header(res, "x-robots-tag"), "noindex, nofollow");
    assert_eq!(header(res, "x-content-type-options"), "nosniff");
    assert_eq!(header(res, "x-frame-options"), "DENY");
}

async fn page_and_assets_carry_strict_headers_and_errors_are_html(app: TestApp) {
    let (me, account) = linked_resident(&app, "pagehost").await;
    let link = active_link(&me, account, Some(2)).await;
    let token = token_of(&link);
    assert!(
        link["url"].as_str().unwrap().ends_with(&format!("/g/{token}")),
        "{link}"
    );
    let client = app.api().client;
    let before = app.sim.handle().unlock_calls(FRONT_DOOR);

    let page = client.get(app.url(&format!("/g/{token}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_guest_headers(&page, "text/html; charset=utf-8");
    let html = page.text().await.unwrap();
    assert!(html.contains("<bdi>Plumber</bdi>"), "{html}");
    assert!(html.contains("state-active"), "{html}");
    assert!(html.contains(">2 of 2</dd>"), "{html}");
    assert!(html.contains("<time id=\"starts-at\" datetime=\""), "{html}");
    assert!(!html.contains("<script>"), "no inline script: {html}");
    assert!(!html.contains("style="), "no inline style: {html}");
    assert!(!html.contains(" disabled>"), "the button is enabled: {html}");

    for (path, ctype, needle) in [
        (
            "/g/assets/guest.js",
            "text/javascript; charset=utf-8",
            "/api/guest/",
        ),
        ("/g/assets/guest.css", "text/css; charset=utf-8", ".open-door"),
    ] {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert_guest_headers(&res, ctype);
        assert!(res.text().await.unwrap().contains(needle), "{path}");
    }

    let robots = client.get(app.url("/robots.txt")).send().await.unwrap();
    assert_eq!(robots.status(), 200);
    assert_eq!(
        robots.text().await.unwrap(),
        "User-agent: *\nDisallow: /g/\nDisallow: /api/\n"
    );

    // Unknown and malformed tokens: a human 404 page, not JSON.
    for bad in ["A".repeat(43), "short".to_owned(), "%3Cscript%3E".to_owned()] {
        let res = client.get(app.url(&format!("/g/{bad}"))).send().await.unwrap();
        assert_eq!(res.status(), 404, "{bad}");
        assert_guest_headers(&res, "text/html; charset=utf-8");
        let body = res.text().await.unwrap();
        assert!(body.contains("This link does not exist"), "{body}");
        assert!(!body.contains("<script"), "{body}");
    }

    // Viewing changed nothing.
    assert_eq!(app.sim.handle().unlock_calls(FRONT_DOOR), before);
    assert_eq!(uses_of(&me, &link["id"]).await, 0);

    // Over the per-address limit: a 429 page with Retry-After.
    let set = app
        .admin()
        .await
        .post("/api/admin/limits", json!({"guestPerMinute": 1}))
        .await;
    assert_eq!(set.status(), 200);
    let mut limited = None;
    for _ in 0..3 {
        let res = client.get(app.url(&format!("/g/{token}"))).send().await.unwrap();
        if res.status() == 429 {
            limited = Some(res);
            break;
        }
    }
    let res = limited.expect("the guest limit answers 429");
    assert_guest_headers(&res, "text/html; charset=utf-8");
    let wait: u64 = header(&res, "retry-after").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let body = res.text().await.unwrap();
    assert!(body.contains(&format!("wait {wait} seconds")), "{body}");
}

/// Starts the browser, or returns `None` when it is not installed (outside CI).
async fn browser() -> Option<Chrome> {
    Chrome::start().await
}

/// Fails on console messages that show the page broke its own policy.
async fn assert_no_csp_violation(chrome: &Chrome) {
    let console = chrome.console().await;
    let violations: Vec<&String> = console
        .iter()
        .filter(|m| m.contains("Content Security Policy") || m.contains("Uncaught"))
        .collect();
    assert!(violations.is_empty(), "console: {console:#?}");
}

async fn browser_opens_the_door_once_per_press_and_viewing_changes_nothing(app: TestApp) {
    let (me, account) = linked_resident(&app, "browserhost").await;
    let link = active_link(&me, account, Some(2)).await;
    let page = app.url(&format!("/g/{}", token_of(&link)));
    let Some(chrome) = browser().await else {
        return;
    };
    let sim = app.sim.handle();
    let before = sim.unlock_calls(FRONT_DOOR);

    // Two page loads (GET) open nothing and use nothing.
    chrome.goto(&page).await;
    chrome.goto(&page).await;
    assert_eq!(sim.unlock_calls(FRONT_DOOR), before, "GET never unlocks");
    assert_eq!(uses_of(&me, &link["id"]).await, 0, "GET never uses the link");

    assert_eq!(chrome.text_of("#label").await, "Plumber");
    let state = chrome.text_of("#state").await;
    assert!(state.to_lowercase().contains("active"), "{state}");
    assert_eq!(chrome.text_of("#uses").await, "2 of 2");
    // The script ran (CSP allowed it): times are now in the browser's time zone.
    let note = chrome
        .wait_for_text("#time-zone", OUTCOME_WAIT, |t| t.contains("your time zone"))
        .await;
    assert!(!note.contains("UTC."), "{note}");
    let starts = chrome.find("#starts-at").await;
    assert!(
        chrome
            .attribute(&starts, "datetime")
            .await
            .unwrap()
            .ends_with('Z')
    );
    assert!(
        !chrome.text(&starts).await.ends_with(" UTC"),
        "rewritten to local time"
    );

    let button = chrome.find("#open-door").await;
    assert_eq!(chrome.text(&button).await, "Open door");
    assert!(chrome.is_enabled(&button).await);
    chrome.click(&button).await;
    let outcome = chrome
        .wait_for_text("#outcome", OUTCOME_WAIT, |t| !t.is_empty() && !t.contains('…'))
        .await;
    assert!(outcome.to_lowercase().contains("opened"), "{outcome}");
    assert_eq!(
        sim.unlock_calls(FRONT_DOOR),
        before + 1,
        "exactly one unlock call"
    );
    assert_eq!(uses_of(&me, &link["id"]).await, 1);
    assert_eq!(chrome.text_of("#uses").await, "1 of 2");
    assert!(chrome.is_enabled(&button).await, "one use left: pressable again");
    assert_no_csp_violation(&chrome).await;
}

async fn browser_says_used_up_when_a_single_use_link_is_pressed_again(app: TestApp) {
    let (me, account) = linked_resident(&app, "singleuse").await;
    let link = active_link(&me, account, Some(1)).await;
    let page = app.url(&format!("/g/{}", token_of(&link)));
    let Some(chrome) = browser().await else {
        return;
    };
    let sim = app.sim.handle();
    let before = sim.unlock_calls(FRONT_DOOR);

    // The same link open in two tabs, as when a guest opens it twice.
    chrome.goto(&page).await;
    let first = chrome.current_tab().await;
    let second = chrome.new_tab().await;
    chrome.goto(&page).await;
    chrome.switch_to(&first).await;

    let button = chrome.find("#open-door").await;
    chrome.click(&button).await;
    let outcome = chrome
        .wait_for_text("#outcome", OUTCOME_WAIT, |t| !t.is_empty() && !t.contains('…'))
        .await;
    assert!(outcome.to_lowercase().contains("opened"), "{outcome}");
    assert_eq!(sim.unlock_calls(FRONT_DOOR), before + 1);
    // That was the only use: this tab says so and offers no second press.
    assert!(!chrome.is_enabled(&button).await);
    assert!(chrome.text_of("#state").await.to_lowercase().contains("used up"));

    // The other tab still shows the button; pressing it is refused.
    chrome.switch_to(&second).await;
    let button = chrome.find("#open-door").await;
    assert!(chrome.is_enabled(&button).await, "loaded before the use");
    chrome.click(&button).await;
    let outcome = chrome
        .wait_for_text("#outcome", OUTCOME_WAIT, |t| !t.is_empty() && !t.contains('…'))
        .await;
    assert!(outcome.to_lowercase().contains("used up"), "{outcome}");
    assert!(!chrome.is_enabled(&button).await);
    assert!(chrome.text_of("#state").await.to_lowercase().contains("used up"));
    assert_eq!(
        sim.unlock_calls(FRONT_DOOR),
        before + 1,
        "the refused press reached no door"
    );
    assert_eq!(uses_of(&me, &link["id"]).await, 1);

    // A fresh load shows it too, without the script's help.
    chrome.goto(&page).await;
    assert!(chrome.text_of("#state").await.to_lowercase().contains("used up"));
    assert!(!chrome.is_enabled(&chrome.find("#open-door").await).await);
    assert_no_csp_violation(&chrome).await;
}
