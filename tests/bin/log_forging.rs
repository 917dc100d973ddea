//! Nothing a client sends can forge a log line: with trace logging on, in text and in
//! JSON format, hostile usernames, paths, headers, bodies and labels leave every line of
//! the console a genuine log record — no injected line break, no raw escape sequence, no
//! bidi override.

use std::path::Path;

use latchkey_blackbox::{ADMIN_PASSWORD, Api};
use reqwest::Client;
use serde_json::{Value, json};

use crate::process::Served;

/// A forged record as an attacker would write it after a line break.
const FORGED: &str = "1999-01-01T00:00:00.000000Z  INFO FORGED: admin logged in";

async fn start(data: &Path, format: &str) -> Served {
    Served::start(
        data,
        &[],
        &[
            ("LATCHKEY_ADMIN_USERNAME", "admin"),
            ("LATCHKEY_ADMIN_PASSWORD", ADMIN_PASSWORD),
            ("LATCHKEY_LOG_FORMAT", format),
            ("RUST_LOG", "trace"),
        ],
    )
    .await
}

/// Every way a client can put text in front of the server, each carrying [`FORGED`].
async fn attack(base: &str) {
    let client = Client::new();
    let url = |path: &str| format!("{base}{path}");
    for username in [
        format!("x\n{FORGED}"),
        format!("x\r\n{FORGED}"),
        format!("x\u{1b}[2K\r{FORGED}"),
        format!("x\u{202E}{FORGED}"),
        format!("x\u{0}{FORGED}"),
    ] {
        let res = client
            .post(url("/api/auth/login"))
            .json(&json!({"username": username, "password": format!("p\n{FORGED}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    }
    let encoded = "%0A1999-01-01T00:00:00.000000Z%20%20INFO%20FORGED%1B%5B2K";
    for path in [
        format!("/api/guest/{encoded}/unlock"),
        format!("/api/{encoded}"),
        format!("/g/{encoded}"),
    ] {
        let res = client.post(url(&path)).send().await.unwrap();
        assert!(res.status().is_client_error(), "{path}: {}", res.status());
    }
    let res = client
        .get(url("/api/auth/me"))
        .header("x-forwarded-for", "1.2.3.4, FORGED INFO admin")
        .header("user-agent", "FORGED\tINFO admin logged in")
        .header("cookie", "latchkey_session=FORGED%0AINFO")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = client
        .post(url("/api/auth/login"))
        .header("content-type", "application/json")
        .body(format!("{{\"username\": \"a\n{FORGED}\"").into_bytes())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);

    let res = client
        .post(url("/api/auth/login"))
        .json(&json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    let admin = Api {
        base: base.to_owned(),
        client: Client::new(),
        token: Some(res.headers()["set-auth-token"].to_str().unwrap().to_owned()),
    };
    let res = admin
        .post(
            "/api/admin/users",
            json!({"username": format!("u\n{FORGED}"), "password": "amber-falcon-river-27",
                   "structure": format!("s\n{FORGED}")}),
        )
        .await;
    assert_eq!(res.status(), 400);
}

/// The console lines printed after `mark` bytes (the banner comes before it).
fn lines_after(app: &Served, mark: usize) -> Vec<String> {
    let out = app.output();
    out[mark..].lines().map(str::to_owned).collect()
}

fn assert_no_raw_controls(lines: &[String]) {
    for line in lines {
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t') && !line.contains('\u{202E}'),
            "a raw control or bidi character reached the log: {line:?}"
        );
        assert!(
            !line.starts_with("1999-01-01T"),
            "a client forged a log line: {line:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_logs_cannot_be_forged() {
    let data = tempfile::tempdir().unwrap();
    let app = start(data.path(), "text").await;
    let mark = app.output().len();
    attack(&app.base).await;
    let lines = lines_after(&app, mark);
    assert!(lines.len() > 20, "trace logging printed the requests");
    for line in &lines {
        // Every record starts with its timestamp: `2026-12-03T06:25:47.123456Z  INFO …`.
        let stamp = line.get(..11).unwrap_or("");
        assert!(
            stamp.len() == 11 && stamp.as_bytes()[4] == b'-' && stamp.ends_with('T'),
            "not a log record: {line:?}"
        );
    }
    assert_no_raw_controls(&lines);
    let (exit, output) = tokio::task::spawn_blocking(move || app.terminate())
        .await
        .unwrap();
    assert_eq!(exit.code(), Some(0), "{output}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_cannot_be_forged() {
    let data = tempfile::tempdir().unwrap();
    let app = start(data.path(), "json").await;
    let mark = app.output().len();
    attack(&app.base).await;
    let lines = lines_after(&app, mark);
    assert!(lines.len() > 20, "trace logging printed the requests");
    for line in &lines {
        let record: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON record ({e}): {line:?}"));
        assert!(record["level"].is_string(), "{line}");
        assert!(record["timestamp"].is_string(), "{line}");
    }
    assert_no_raw_controls(&lines);
    let (exit, output) = tokio::task::spawn_blocking(move || app.terminate())
        .await
        .unwrap();
    assert_eq!(exit.code(), Some(0), "{output}");
}
