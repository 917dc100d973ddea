//! SIGTERM lets a request in flight finish: a guest whose door is being opened gets the
//! answer, not a reset connection or a 502 from a connection torn down under it.

use std::time::Duration;

use latchkey_blackbox::guest::link_body;
use latchkey_blackbox::{ADMIN_PASSWORD, Api, FRONT_DOOR, RESIDENT_PASSWORD};
use latchkey_ring_sim::{AccountSpec, DeviceSpec, Endpoint, Fault, RingSimulator, SimConfig};
use serde_json::{Value, json};

use crate::process::Served;

const RING_EMAIL: &str = "stella@example.com";

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_an_unlock_in_flight_finish() {
    let sim = RingSimulator::start(
        SimConfig::default().with_account(
            AccountSpec::new(RING_EMAIL, "ring-password-1")
                .with_device(DeviceSpec::intercom(FRONT_DOOR, "Front door")),
        ),
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let app = Served::start(
        data.path(),
        &[],
        &[
            ("LATCHKEY_ADMIN_USERNAME", "admin"),
            ("LATCHKEY_ADMIN_PASSWORD", ADMIN_PASSWORD),
            ("LATCHKEY_RING_OAUTH_URL", sim.base_url()),
            ("LATCHKEY_RING_API_URL", sim.base_url()),
        ],
    )
    .await;

    // A resident with a linked Ring account and a link, all over HTTP.
    let admin = login(&app.base, "admin", ADMIN_PASSWORD).await;
    let res = admin
        .post(
            "/api/admin/users",
            json!({"username": "stella", "password": RESIDENT_PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let me = login(&app.base, "stella", RESIDENT_PASSWORD).await;
    let token = sim.handle().issue_refresh_token(RING_EMAIL).unwrap();
    let saved: Value = me
        .post("/api/ring/refresh-token", json!({"refreshToken": token}))
        .await
        .json()
        .await
        .unwrap();
    let account = saved["ringAccountId"].as_i64().unwrap();
    let res = me
        .post(
            "/api/guest-links",
            link_body(account, -time::Duration::hours(1), time::Duration::hours(1), None),
        )
        .await;
    assert_eq!(res.status(), 200);
    let link: Value = res.json().await.unwrap();
    let guest_token = link["link"]["token"].as_str().unwrap().to_owned();

    // Ring takes 1.5 s to open the door; SIGTERM arrives meanwhile.
    sim.handle()
        .inject_times(Endpoint::Unlock, Fault::latency(Duration::from_millis(1500)), 1);
    let guest = {
        let url = format!("{}/api/guest/{guest_token}/unlock", app.base);
        tokio::spawn(async move { reqwest::Client::new().post(url).send().await })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    app.send_sigterm();
    let res = guest.await.unwrap().expect("the guest got an answer");
    let status = res.status();
    assert_eq!(
        status,
        200,
        "the door opened and the guest was told: {}",
        res.text().await.unwrap()
    );
    let (exit, output) = tokio::task::spawn_blocking(move || app.wait_exit())
        .await
        .unwrap();
    assert_eq!(exit.code(), Some(0), "{output}");
    assert_eq!(sim.handle().unlock_calls(FRONT_DOOR), 1);
    sim.stop().await.unwrap();
}
