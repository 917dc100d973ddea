//! Guest-link set-up shared by the guest tests: a resident with a linked Ring account,
//! and links created through the API.

use reqwest::Response;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::{Api, FRONT_DOOR, RESIDENT_PASSWORD, RING_EMAIL, TestApp};

/// A new resident whose Ring account is linked (refresh token saved); returns their
/// client and the account id.
pub async fn linked_resident(app: &TestApp, name: &str) -> (Api, i64) {
    let admin = app.admin().await;
    app.create_resident(&admin, name).await;
    let me = app.login_api(name, RESIDENT_PASSWORD).await;
    let token = app.sim.handle().issue_refresh_token(RING_EMAIL).unwrap();
    let saved: Value = me
        .post("/api/ring/refresh-token", json!({"refreshToken": token}))
        .await
        .json()
        .await
        .unwrap();
    (me, saved["ringAccountId"].as_i64().unwrap())
}

/// An RFC 3339 instant `offset` from now, as clients send them.
pub fn from_now(offset: Duration) -> String {
    (OffsetDateTime::now_utc() + offset).format(&Rfc3339).unwrap()
}

/// A link body on the front door, open from `starts` to `ends` (relative to now).
pub fn link_body(account: i64, starts: Duration, ends: Duration, max_uses: Option<i64>) -> Value {
    json!({
        "label": "Plumber",
        "intercomId": FRONT_DOOR,
        "ringAccountId": account,
        "startsAt": from_now(starts),
        "expiresAt": from_now(ends),
        "maxUses": max_uses,
    })
}

/// Creates a link; returns the `link` object of the answer.
pub async fn create_link(me: &Api, body: Value) -> Value {
    let res = me.post("/api/guest-links", body).await;
    assert_eq!(res.status(), 200, "creating a link");
    res.json::<Value>().await.unwrap()["link"].clone()
}

/// An active link (opened an hour ago, for a day) with `max_uses`.
pub async fn active_link(me: &Api, account: i64, max_uses: Option<i64>) -> Value {
    create_link(
        me,
        link_body(account, -Duration::hours(1), Duration::hours(23), max_uses),
    )
    .await
}

/// The token of a link object.
pub fn token_of(link: &Value) -> String {
    link["token"].as_str().unwrap().to_owned()
}

/// A guest pressing the button: no session, no CSRF, just the token.
pub async fn guest_unlock(app: &TestApp, token: &str) -> Response {
    app.api()
        .post(&format!("/api/guest/{token}/unlock"), Value::Null)
        .await
}

/// The `uses` of the link with `id`, as its owner lists it.
pub async fn uses_of(me: &Api, id: &Value) -> i64 {
    let list: Value = me.get("/api/guest-links").await.json().await.unwrap();
    list["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == *id)
        .unwrap()["uses"]
        .as_i64()
        .unwrap()
}

/// Raises the per-address guest limit so bursts from one test client are not refused.
pub async fn lift_guest_limit(app: &TestApp) {
    set_limits(app, json!({"guestPerMinute": 10000})).await;
}

/// Sets runtime rate limits as the administrator (`POST /api/admin/limits`).
pub async fn set_limits(app: &TestApp, limits: Value) {
    let res = app.admin().await.post("/api/admin/limits", limits).await;
    assert_eq!(res.status(), 200);
}
