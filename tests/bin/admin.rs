//! `latchkey admin …` against a SQLite file, checked by logging in over HTTP — also while
//! the server is running on the same file.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::process::{Served, run, text};

/// The password on the last line of a command's output.
fn printed_password(stdout: &str) -> String {
    stdout.lines().last().unwrap_or("").trim().to_owned()
}

async fn login(base: &str, user: &str, password: &str) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn create_reset_and_unlock_users_from_the_console() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path();

    let out = run(dir, &["migrate"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Migrations applied"));

    let out = run(dir, &["admin", "create-user", "bob"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bob_first = printed_password(&text(&out.stdout));
    assert_eq!(bob_first.len(), 23, "{}", text(&out.stdout));

    let out = run(
        dir,
        &[
            "admin",
            "create-user",
            "carol",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "velvet-otter-harbor-93\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !text(&out.stdout).contains("velvet"),
        "a chosen password is not echoed"
    );

    let out = run(dir, &["admin", "create-user", "Bob"], "");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("taken"), "{}", text(&out.stderr));
    let out = run(
        dir,
        &["admin", "create-user", "dave", "--password-stdin"],
        "short\n",
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("password"), "{}", text(&out.stderr));

    let out = run(dir, &["admin", "reset-password", "bob"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bob = printed_password(&text(&out.stdout));
    assert_ne!(bob, bob_first);

    // Users exist, so the server creates no administrator of its own.
    let app = Served::start(dir, &[], &[]).await;
    assert!(!app.output().contains("Password:"));
    let (status, body) = login(&app.base, "carol", "velvet-otter-harbor-93").await;
    assert_eq!((status, &body["role"]), (StatusCode::OK, &json!("admin")));
    assert_eq!(body["mustChangePassword"], false);
    assert_eq!(login(&app.base, "bob", &bob_first).await.0, 401);
    let (status, body) = login(&app.base, "bob", &bob).await;
    assert_eq!(status, 200);
    assert_eq!(body["mustChangePassword"], true);

    // Five failures lock bob out; the console clears it while the server runs.
    for _ in 0..5 {
        login(&app.base, "bob", "not-bobs-password-at-all").await;
    }
    assert_eq!(login(&app.base, "bob", &bob).await.0, 423);
    let out = run(dir, &["admin", "unlock-user", "bob"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Cleared"), "{}", text(&out.stdout));
    assert_eq!(login(&app.base, "bob", &bob).await.0, 200);

    // An administrator's password can be reset from the console too (not over the API).
    let out = run(dir, &["admin", "reset-password", "carol"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (status, body) = login(&app.base, "carol", &printed_password(&text(&out.stdout))).await;
    assert_eq!(
        (status, &body["mustChangePassword"]),
        (StatusCode::OK, &json!(true))
    );

    let out = run(dir, &["admin", "unlock-user", "nobody"], "");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no user named"));
    assert_eq!(app.terminate().0.code(), Some(0));
}
