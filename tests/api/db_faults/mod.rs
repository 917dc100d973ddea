//! The database fails under a running server: PostgreSQL's connections are cut or
//! blackholed (through a proxy) or PostgreSQL itself is stopped; SQLite's write lock is
//! held by another process, or SQLite's disk fills up.
//! Requests that need the database answer 503 `service_unavailable` within 3 s, never a
//! 2xx for something that did not happen; `/api/ready` says 503 meanwhile; and the same
//! server process serves again once the database is back, without a restart.

mod postgres;
mod sqlite;

use std::future::Future;
use std::time::{Duration, Instant};

use latchkey_blackbox::guest::{
    active_link, guest_unlock, lift_guest_limit, link_body, linked_resident, token_of, uses_of,
};
use latchkey_blackbox::{Api, FRONT_DOOR, RESIDENT_PASSWORD, TestApp, expect_problem};
use reqwest::Response;
use serde_json::{Value, json};

/// The longest any answer may take while the database is gone.
const ANSWER_WITHIN: Duration = Duration::from_secs(3);
/// How long the server may take to notice the database is back.
const RECOVER_WITHIN: Duration = Duration::from_secs(10);

/// A resident with a linked Ring account and an unlimited guest link used once, so the
/// Ring session and tokens are in place before the fault.
struct Scene {
    name: &'static str,
    me: Api,
    account: i64,
    token: String,
    link_id: Value,
}

async fn prepare(app: &TestApp, name: &'static str) -> Scene {
    lift_guest_limit(app).await;
    let (me, account) = linked_resident(app, name).await;
    let link = active_link(&me, account, None).await;
    let token = token_of(&link);
    assert_eq!(guest_unlock(app, &token).await.status(), 200);
    Scene {
        name,
        me,
        account,
        token,
        link_id: link["id"].clone(),
    }
}

fn doors_opened(app: &TestApp) -> u64 {
    let counters = app.sim.handle().counters();
    counters.doors_opened.get(&FRONT_DOOR).copied().unwrap_or(0)
}

/// Runs `request`, checks it is a 503 `service_unavailable` with `Retry-After` that
/// came within [`ANSWER_WITHIN`], and returns how long it took.
async fn unavailable(what: &str, request: impl Future<Output = Response>) -> Duration {
    let started = Instant::now();
    let res = request.await;
    let took = started.elapsed();
    assert!(
        res.headers().contains_key("retry-after"),
        "{what}: 503 carries Retry-After"
    );
    expect_problem(res, 503, "service_unavailable").await;
    assert!(took < ANSWER_WITHIN, "{what} took {took:?}");
    took
}

/// The same for a request that must still succeed.
async fn still_ok(what: &str, request: impl Future<Output = Response>) -> Duration {
    let started = Instant::now();
    let status = request.await.status();
    let took = started.elapsed();
    assert_eq!(status, 200, "{what}");
    assert!(took < ANSWER_WITHIN, "{what} took {took:?}");
    took
}

/// Polls `/api/ready` until it answers 200; returns how long that took.
async fn ready_again(app: &TestApp) -> Duration {
    let started = Instant::now();
    loop {
        let status = app.api().get("/api/ready").await.status();
        if status == 200 {
            return started.elapsed();
        }
        assert_eq!(status, 503, "ready answers 200 or 503, nothing else");
        assert!(
            started.elapsed() < RECOVER_WITHIN,
            "not ready {RECOVER_WITHIN:?} after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn login(app: &TestApp, name: &str) -> impl Future<Output = Response> {
    let body = json!({"username": name, "password": RESIDENT_PASSWORD});
    let api = app.api();
    async move { api.post("/api/auth/login", body).await }
}

fn new_link(s: &Scene) -> impl Future<Output = Response> {
    let body = link_body(
        s.account,
        -time::Duration::hours(1),
        time::Duration::hours(1),
        Some(1),
    );
    let me = s.me.clone();
    async move { me.post("/api/guest-links", body).await }
}

/// Everything works again on the same process, and exactly the uses that were
/// answered 200 were counted: `uses` successes in all, one door opening each.
async fn works_again(app: &TestApp, s: &Scene, uses: i64) {
    let opened = doors_opened(app);
    assert_eq!(guest_unlock(app, &s.token).await.status(), 200);
    assert_eq!(doors_opened(app), opened + 1);
    assert_eq!(uses_of(&s.me, &s.link_id).await, uses + 1);
    assert_eq!(s.me.get("/api/auth/me").await.status(), 200);
    assert_eq!(login(app, s.name).await.status(), 200);
    assert_eq!(new_link(s).await.status(), 200);
}

/// Every request that needs PostgreSQL, while it is unreachable: 503 in time, and no
/// door opens. Returns how long each took.
async fn postgres_gone(app: &TestApp, s: &Scene) -> [Duration; 6] {
    let opened = doors_opened(app);
    let view = format!("/api/guest/{}", s.token);
    let times = [
        unavailable("ready", app.api().get("/api/ready")).await,
        unavailable("guest unlock", guest_unlock(app, &s.token)).await,
        unavailable("guest view", app.api().get(&view)).await,
        unavailable("me", s.me.get("/api/auth/me")).await,
        unavailable("login", login(app, s.name)).await,
        unavailable("create link", new_link(s)).await,
    ];
    still_ok("liveness", app.api().get("/api/health")).await;
    assert_eq!(doors_opened(app), opened, "no door opens without its use counted");
    times
}
