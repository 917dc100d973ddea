//! `/metrics`: Prometheus text with requests by route template, unlocks by actor and
//! outcome, logins, Ring calls and rate-limit rejections — and never a token.

use latchkey_blackbox::guest::{active_link, guest_unlock, linked_resident, token_of};
use latchkey_blackbox::{TestApp, on_both_stores};

on_both_stores!(metrics_count_by_route_and_outcome_without_secrets);

/// The value of the first sample whose line contains every one of `parts`.
fn sample(text: &str, parts: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find(|l| parts.iter().all(|p| l.contains(p)))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

async fn metrics_count_by_route_and_outcome_without_secrets(app: TestApp) {
    let (me, account) = linked_resident(&app, "counted").await;
    let link = active_link(&me, account, Some(1)).await;
    let token = token_of(&link);
    assert_eq!(guest_unlock(&app, &token).await.status(), 200);
    assert_eq!(guest_unlock(&app, &token).await.status(), 410);

    let res = app.api().get("/metrics").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = res.text().await.unwrap();
    assert!(!text.contains(&token), "no token in any label");
    let route = r#"route="/api/guest/{token}/unlock""#;
    // Metrics are process-wide and tests share the process: counts only grow.
    assert!(sample(&text, &["latchkey_http_requests_total", route, r#"status="200""#]).unwrap() >= 1.0);
    assert!(sample(&text, &["latchkey_http_requests_total", route, r#"status="410""#]).unwrap() >= 1.0);
    assert!(sample(&text, &["latchkey_http_request_duration_seconds_bucket", route]).is_some());
    assert!(
        sample(
            &text,
            &[
                "latchkey_unlocks_total",
                r#"actor="guest""#,
                r#"outcome="opened""#
            ]
        )
        .unwrap()
            >= 1.0
    );
    assert!(
        sample(
            &text,
            &[
                "latchkey_unlocks_total",
                r#"actor="guest""#,
                r#"outcome="failed""#
            ]
        )
        .unwrap()
            >= 1.0
    );
    assert!(sample(&text, &["latchkey_logins_total", r#"outcome="success""#]).unwrap() >= 1.0);
    assert!(
        sample(
            &text,
            &["latchkey_ring_call_duration_seconds_count", r#"op="unlock""#]
        )
        .unwrap()
            >= 1.0
    );
}
