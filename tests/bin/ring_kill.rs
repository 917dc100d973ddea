//! SIGKILL in the middle of a Ring token refresh. Ring's refresh tokens are single-use
//! (the simulator's default, as Ring's): once Ring has answered a refresh, only the new
//! token works. So the server must have stored the new token before it used it, or a kill
//! at the wrong moment unlinks the resident's account for good.
//!
//! Two kill points, each followed by a fresh start on the same data directory:
//! 1. while the refresh request itself hangs (Ring has not rotated yet): the old token
//!    must still be the one used;
//! 2. after Ring rotated and the server stored the new token, while the next call (the
//!    device list) hangs: the next start must use the new token (the old one is dead).
//!
//! And nothing else is lost: sessions, links, uses and audit rows written before the kill.
//!
//! Also SIGKILL while Ring is being asked to open a door for a guest.

use std::path::Path;
use std::time::{Duration, Instant};

use latchkey_blackbox::guest::link_body;
use latchkey_blackbox::{ADMIN_PASSWORD, Api, FRONT_DOOR, RESIDENT_PASSWORD};
use latchkey_ring_sim::{AccountSpec, DeviceSpec, Endpoint, Fault, RingSimulator, RunningSim, SimConfig};
use serde_json::{Value, json};

use crate::process::Served;

const RING_EMAIL: &str = "kim@example.com";

async fn login(base: &str, user: &str, password: &str) -> Api {
    let res = reqwest::Client::new()
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "login of {user}");
    Api {
        base: base.to_owned(),
        client: reqwest::Client::new(),
        token: Some(res.headers()["set-auth-token"].to_str().unwrap().to_owned()),
    }
}

async fn start(data: &Path, sim: &RunningSim) -> Served {
    Served::start(
        data,
        &[],
        &[
            ("LATCHKEY_ADMIN_USERNAME", "admin"),
            ("LATCHKEY_ADMIN_PASSWORD", ADMIN_PASSWORD),
            ("LATCHKEY_RING_OAUTH_URL", sim.base_url()),
            ("LATCHKEY_RING_API_URL", sim.base_url()),
            ("LATCHKEY_RING_TIMEOUT_SECONDS", "30"),
        ],
    )
    .await
}

/// The same session, pointed at a new process's address.
fn reattach(me: &Api, app: &Served) -> Api {
    Api {
        base: app.base.clone(),
        client: reqwest::Client::new(),
        token: me.token.clone(),
    }
}

/// Starts a fresh process (empty token cache) whose first request to `endpoint` hangs,
/// asks it for the summary in the background, and returns once the simulator holds that
/// request. (The process may get there on its own, by its start-up health poll.)
async fn start_stuck_at(data: &Path, sim: &RunningSim, me: &Api, endpoint: Endpoint) -> Served {
    let seen = sim.handle().counters().requests_to(endpoint);
    sim.handle().inject_times(endpoint, Fault::hang(), 1);
    let app = start(data, sim).await;
    let url = format!("{}/api/ring/summary", app.base);
    let token = me.token.clone().unwrap();
    tokio::spawn(async move {
        // The process dies under this request; its outcome is irrelevant.
        let _ = reqwest::Client::new().get(url).bearer_auth(token).send().await;
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    while sim.handle().counters().requests_to(endpoint) == seen {
        assert!(Instant::now() < deadline, "{endpoint:?} was never called");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app
}

/// A resident with a linked Ring account and a guest link of `max_uses` on it: the
/// resident's session and the link's token.
async fn resident_with_link(app: &Served, sim: &RunningSim, max_uses: Option<i64>) -> (Api, String) {
    let admin = login(&app.base, "admin", ADMIN_PASSWORD).await;
    let res = admin
        .post(
            "/api/admin/users",
            json!({"username": "kim", "password": RESIDENT_PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let me = login(&app.base, "kim", RESIDENT_PASSWORD).await;
    let token = sim.handle().issue_refresh_token(RING_EMAIL).unwrap();
    let res = me
        .post("/api/ring/refresh-token", json!({"refreshToken": token}))
        .await;
    assert_eq!(res.status(), 200);
    let account = res.json::<Value>().await.unwrap()["ringAccountId"]
        .as_i64()
        .unwrap();
    let body = link_body(
        account,
        -time::Duration::hours(1),
        time::Duration::hours(1),
        max_uses,
    );
    let link: Value = me.post("/api/guest-links", body).await.json().await.unwrap();
    (me, link["link"]["token"].as_str().unwrap().to_owned())
}

fn simulator() -> RunningSim {
    RingSimulator::start(
        SimConfig::default().with_account(
            AccountSpec::new(RING_EMAIL, "ring-password-1")
                .with_device(DeviceSpec::intercom(FRONT_DOOR, "Front door")),
        ),
    )
    .unwrap()
}

async fn summary_works(me: &Api) {
    let res = me.get("/api/ring/summary").await;
    assert_eq!(res.status(), 200);
    let summary: Value = res.json().await.unwrap();
    assert!(summary["summary"][0]["error"].is_null(), "{summary}");
    assert_eq!(summary["summary"][0]["intercoms"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_a_token_refresh_loses_neither_the_token_nor_anything_else() {
    let sim = simulator();
    let data = tempfile::tempdir().unwrap();
    let app = start(data.path(), &sim).await;

    // Before any kill: a resident, a linked account, a link used once, audit rows.
    let (me, guest_token) = resident_with_link(&app, &sim, Some(3)).await;
    let unlock = |base: String| {
        let url = format!("{base}/api/guest/{guest_token}/unlock");
        async move { reqwest::Client::new().post(url).send().await.unwrap().status() }
    };
    assert_eq!(unlock(app.base.clone()).await, 200);

    // Kill 1: the refresh request is in flight, Ring has not answered (nor rotated).
    drop(app.kill());
    let refreshes = sim.handle().counters().refresh_grants;
    let app = start_stuck_at(data.path(), &sim, &me, Endpoint::Token).await;
    drop(app.kill());
    let app = start(data.path(), &sim).await;
    let me = reattach(&me, &app);
    summary_works(&me).await;
    assert_eq!(
        sim.handle().counters().refresh_grants,
        refreshes + 2,
        "the hung refresh, then one with the same (still valid) token"
    );

    // Kill 2: Ring rotated the token, the server stored the new one and is now stuck
    // listing the devices with it. The old token is dead at Ring from here on.
    drop(app.kill());
    let refreshes = sim.handle().counters().refresh_grants;
    let app = start_stuck_at(data.path(), &sim, &me, Endpoint::Devices).await;
    assert_eq!(
        sim.handle().counters().refresh_grants,
        refreshes + 1,
        "the token was rotated before the device call"
    );
    drop(app.kill());
    let app = start(data.path(), &sim).await;
    let me = reattach(&me, &app);
    summary_works(&me).await;

    // Nothing else was lost: the session survived three kills, the link kept its use,
    // the audit kept its row, and the door still opens.
    assert_eq!(unlock(app.base.clone()).await, 200);
    let links: Value = me.get("/api/guest-links").await.json().await.unwrap();
    assert_eq!(links["links"][0]["uses"], 2, "{links}");
    let audit: Value = me.get("/api/audit?pageSize=10").await.json().await.unwrap();
    assert_eq!(audit["total"], 2, "{audit}");
    assert_eq!(sim.handle().unlock_calls(FRONT_DOOR), 2);
    let (exit, output) = tokio::task::spawn_blocking(move || app.terminate())
        .await
        .unwrap();
    assert_eq!(exit.code(), Some(0), "{output}");
    sim.stop().await.unwrap();
}

/// SIGKILL while Ring is being asked to open the door: the audit row written with the
/// use is there after the restart, `unknown` with no code (nobody can tell whether the
/// door opened), and the use stays taken — the safe side for a door.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_a_guest_unlock_leaves_the_attempt_on_record_and_the_use_taken() {
    let sim = simulator();
    let data = tempfile::tempdir().unwrap();
    let app = start(data.path(), &sim).await;
    let (me, guest_token) = resident_with_link(&app, &sim, Some(1)).await;

    sim.handle().inject_times(Endpoint::Unlock, Fault::hang(), 1);
    let url = format!("{}/api/guest/{guest_token}/unlock", app.base);
    tokio::spawn(async move {
        // The process dies under this request; its outcome is irrelevant.
        let _ = reqwest::Client::new().post(url).send().await;
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    while sim.handle().counters().requests_to(Endpoint::Unlock) == 0 {
        assert!(Instant::now() < deadline, "the unlock never reached Ring");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(app.kill());

    let app = start(data.path(), &sim).await;
    let me = reattach(&me, &app);
    let audit: Value = me.get("/api/audit?pageSize=10").await.json().await.unwrap();
    assert_eq!(audit["total"], 1, "{audit}");
    let row = &audit["events"][0];
    assert_eq!(
        (row["actor"].as_str(), row["outcome"].as_str()),
        (Some("guest"), Some("unknown")),
        "{audit}"
    );
    assert!(row["errorCode"].is_null(), "{audit}");
    let links: Value = me.get("/api/guest-links").await.json().await.unwrap();
    assert_eq!(links["links"][0]["uses"], 1, "{links}");
    let res = reqwest::Client::new()
        .post(format!("{}/api/guest/{guest_token}/unlock", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        410,
        "used up: the one use went to the attempt Ring may have served"
    );
    let (exit, output) = tokio::task::spawn_blocking(move || app.terminate())
        .await
        .unwrap();
    assert_eq!(exit.code(), Some(0), "{output}");
    sim.stop().await.unwrap();
}
