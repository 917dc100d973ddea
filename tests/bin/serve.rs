//! `latchkey` on a fresh machine: the banner, the bootstrap admin, a clean stop.

use serde_json::{Value, json};

use crate::process::Served;

#[tokio::test]
async fn first_start_prints_how_to_log_in_and_sigterm_stops_cleanly() {
    let data = tempfile::tempdir().unwrap();
    let app = Served::start(data.path(), &[], &[]).await;

    // The banner: where it listens, where the data lives, the docs, the admin's password.
    assert_eq!(app.line_after("Listening on:"), app.base);
    let db = data.path().join("latchkey.db");
    let data_line = app.line_after("Data:");
    assert!(
        data_line.starts_with("SQLite file") && data_line.ends_with(&db.display().to_string()),
        "{data_line}"
    );
    assert!(
        app.line_after("API docs:")
            .starts_with(&format!("{}/api/docs/", app.base))
    );
    assert!(app.line_after("Log in:").contains("\"admin\""));
    let password = app.line_after("Password:");
    assert_eq!(password.len(), 23, "{password}");

    // That password logs in, and must be changed first.
    let res = reqwest::Client::new()
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({"username": "admin", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("set-auth-token"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["mustChangePassword"], true);

    let (status, output) = app.terminate();
    assert_eq!(status.code(), Some(0), "{output}");
    assert!(output.contains("signal=\"SIGTERM\""), "{output}");
    assert!(output.contains("background jobs stopped"), "{output}");
    assert!(output.trim_end().ends_with("stopped"), "{output}");
    // Every pooled connection was closed: SQLite folds its write-ahead log back into the
    // database and removes it when the last connection closes.
    assert!(db.exists());
    assert!(
        !data.path().join("latchkey.db-wal").exists(),
        "the pool was not closed"
    );
}

#[tokio::test]
async fn a_later_start_prints_no_password() {
    let data = tempfile::tempdir().unwrap();
    let env = [
        ("LATCHKEY_ADMIN_USERNAME", "caretaker"),
        ("LATCHKEY_ADMIN_PASSWORD", "copper-lantern-meadow-58"),
    ];
    let first = Served::start(data.path(), &["serve"], &env).await;
    assert!(first.line_after("Log in:").contains("\"caretaker\""));
    assert!(!first.output().contains("Password:"));
    assert_eq!(first.terminate().0.code(), Some(0));

    let again = Served::start(data.path(), &["serve"], &env).await;
    assert!(
        again.line_after("Log in:").contains("with your account"),
        "{}",
        again.output()
    );
    assert!(!again.output().contains("copper-lantern"));
    let res = reqwest::Client::new()
        .post(format!("{}/api/auth/login", again.base))
        .json(&json!({"username": "caretaker", "password": "copper-lantern-meadow-58"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(again.terminate().0.code(), Some(0));
}
