//! `latchkey --demo`: a guest opens the (simulated) door over HTTP only, with nothing
//! but what the banner printed; a second demo start finds its data again.

use serde_json::{Value, json};

use crate::process::Served;

#[tokio::test]
async fn the_demo_opens_the_door_through_http_and_keeps_its_data() {
    let data = tempfile::tempdir().unwrap();
    let app = Served::start(data.path(), &["--demo"], &[]).await;
    let out = app.output();
    assert!(out.contains("DEMO MODE"), "{out}");
    assert!(app.line_after("Data:").contains("demo.db"), "{out}");
    let guest_url = app
        .line_after("Guest link:")
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let token = guest_url
        .strip_prefix(&format!("{}/g/", app.base))
        .unwrap_or_else(|| panic!("{guest_url}"))
        .to_owned();
    let http = reqwest::Client::new();

    // The guest page, then the button.
    let page = http.get(&guest_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let res = http
        .post(format!("{}/api/guest/{token}/unlock", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // The resident printed in the banner sees the use on their link.
    let (user, password) = resident(&app.line_after("Resident:"));
    let login = http
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let bearer = login.headers()["set-auth-token"].to_str().unwrap().to_owned();
    let links: Value = http
        .get(format!("{}/api/guest-links", app.base))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link = links["links"]
        .as_array()
        .and_then(|all| all.iter().find(|l| l["token"] == token.as_str()))
        .unwrap_or_else(|| panic!("{links}"));
    assert_eq!(link["uses"], 1);
    assert_eq!(app.terminate().0.code(), Some(0));

    // The real database was never created; the demo's is reused on the next start.
    assert!(!data.path().join("latchkey.db").exists());
    assert!(data.path().join("demo.db").exists());
    let again = Served::start(data.path(), &["--demo"], &[]).await;
    let kept = again.line_after("Guest link:");
    assert!(
        kept.contains(&token) && kept.contains("kept"),
        "{}",
        again.output()
    );
    assert!(again.line_after("Log in:").contains("with your account"));
    let res = http
        .post(format!("{}/api/guest/{token}/unlock", again.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the re-linked Ring account opens the door");
    assert_eq!(again.terminate().0.code(), Some(0));
}

/// `"resident" / password "…"` → the two values.
fn resident(line: &str) -> (String, String) {
    let quoted: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
    match quoted.as_slice() {
        [user, password, ..] => ((*user).to_owned(), (*password).to_owned()),
        _ => panic!("cannot read the resident from {line:?}"),
    }
}
