//! The database fails under a running server: PostgreSQL's connections are cut or
//! blackholed (through a proxy), SQLite's write lock is held by another process, or
//! SQLite's disk fills up.
//! Requests that need the database answer 503 `service_unavailable` within 3 s, never a
//! 2xx for something that did not happen; `/api/ready` says 503 meanwhile; and the same
//! server process serves again once the database is back, without a restart.

use std::future::Future;
use std::time::{Duration, Instant};

use latchkey_blackbox::guest::{
    active_link, guest_unlock, lift_guest_limit, link_body, linked_resident, token_of, uses_of,
};
use latchkey_blackbox::{
    Api, FRONT_DOOR, RESIDENT_PASSWORD, SmallDisk, SqliteWriteLock, TcpProxy, TestApp, expect_problem,
};
use latchkey_ring_sim::{Endpoint, Fault};
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

fn proxy(app: &TestApp) -> &TcpProxy {
    app.pg_proxy.as_ref().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_cut_answer_503_and_the_server_recovers() {
    let Some(app) = TestApp::spawn_behind_pg_proxy(&[]).await else {
        return;
    };
    let s = prepare(&app, "cutter").await;

    proxy(&app).cut();
    let times = postgres_gone(&app, &s).await;
    // Still gone on a second round: nothing half-open was left in the pool.
    let again = unavailable("guest unlock again", guest_unlock(&app, &s.token)).await;

    proxy(&app).restore();
    let recovered = ready_again(&app).await;
    works_again(&app, &s, 1).await;
    eprintln!("cut: 503s in {times:?}, then {again:?}; ready again after {recovered:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_blackholed_answers_503_in_time_and_the_server_recovers() {
    let Some(app) = TestApp::spawn_behind_pg_proxy(&[]).await else {
        return;
    };
    let s = prepare(&app, "partitioned").await;

    // Live connections stop answering, and new ones are accepted and never answered.
    proxy(&app).blackhole();
    let times = postgres_gone(&app, &s).await;

    proxy(&app).restore();
    let recovered = ready_again(&app).await;
    works_again(&app, &s, 1).await;
    eprintln!("blackhole: 503s in {times:?}; ready again after {recovered:?}");
}

/// PostgreSQL goes away while Ring opens the door: the use was counted before Ring was
/// called, so the 200 is the truth, and the count survives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_cut_while_the_door_opens_answers_the_truth() {
    let Some(app) = TestApp::spawn_behind_pg_proxy(&[]).await else {
        return;
    };
    let s = prepare(&app, "midway").await;
    let sim = app.sim.handle();
    let calls = sim.unlock_calls(FRONT_DOOR);
    let opened = doors_opened(&app);
    sim.inject_times(Endpoint::Unlock, Fault::latency(Duration::from_millis(500)), 1);

    let cut_once_ring_is_called = async {
        let deadline = Instant::now() + ANSWER_WITHIN;
        while sim.unlock_calls(FRONT_DOOR) == calls {
            assert!(Instant::now() < deadline, "the unlock never reached Ring");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        proxy(&app).cut();
    };
    let started = Instant::now();
    let (res, ()) = tokio::join!(guest_unlock(&app, &s.token), cut_once_ring_is_called);
    let took = started.elapsed();
    assert_eq!(res.status(), 200, "the door opened");
    assert_eq!(doors_opened(&app), opened + 1);
    assert!(took < ANSWER_WITHIN, "took {took:?}");

    proxy(&app).restore();
    let recovered = ready_again(&app).await;
    // The warm-up and this one.
    works_again(&app, &s, 2).await;
    eprintln!("cut mid-unlock: 200 in {took:?}; ready again after {recovered:?}");
}

/// Every request while SQLite cannot write: `/api/ready` and the writes answer 503 in
/// time, the reads still 200, and no door opens. Returns how long each took.
async fn sqlite_unwritable(app: &TestApp, s: &Scene) -> ([Duration; 4], [Duration; 3]) {
    let opened = doors_opened(app);
    let view = format!("/api/guest/{}", s.token);
    let writes = [
        unavailable("ready", app.api().get("/api/ready")).await,
        unavailable("guest unlock", guest_unlock(app, &s.token)).await,
        unavailable("login", login(app, s.name)).await,
        unavailable("create link", new_link(s)).await,
    ];
    let reads = [
        still_ok("guest view", app.api().get(&view)).await,
        still_ok("me", s.me.get("/api/auth/me")).await,
        still_ok("links", s.me.get("/api/guest-links")).await,
    ];
    assert_eq!(doors_opened(app), opened, "no door opens without its use counted");
    (writes, reads)
}

/// Another process holds SQLite's write lock: writes wait out the busy timeout and
/// answer 503, reads still work, readiness says 503; once the lock is released the
/// same process writes again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_write_lock_held_elsewhere_answers_503_and_the_server_recovers() {
    let app = TestApp::spawn(latchkey_blackbox::Backend::Sqlite).await.unwrap();
    let s = prepare(&app, "locked").await;

    let lock = SqliteWriteLock::take(&app.sqlite_path().unwrap()).await;
    let (writes, reads) = sqlite_unwritable(&app, &s).await;

    lock.release();
    let recovered = ready_again(&app).await;
    works_again(&app, &s, 1).await;
    eprintln!("sqlite lock: 503s in {writes:?}, reads in {reads:?}; ready again after {recovered:?}");
}

/// The disk under the SQLite file fills up while the server runs (a tmpfs of its own,
/// filled to the last block). Writes go on while SQLite still has room in the space its
/// files already hold, each answered 200 or 503 in time; once that room is gone,
/// writes answer 503 and readiness says 503, reads still work, and no door opens.
/// Every write answered 200 is there afterwards and none answered 503 is; once space
/// is freed the same process writes again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_disk_full_answers_503_and_the_server_recovers() {
    let Some(disk) = SmallDisk::mount(32) else {
        return;
    };
    let url = format!("sqlite://{}", disk.path().join("latchkey.db").display());
    let app = TestApp::spawn_with(latchkey_blackbox::Backend::Sqlite, &[("DATABASE_URL", &url)])
        .await
        .unwrap();
    let s = prepare(&app, "crowded").await;
    // Filling the room SQLite's files hold takes a few dozen links: no per-user limit.
    let res = app
        .admin()
        .await
        .post("/api/admin/limits", json!({"authPerMinute": 1_000_000}))
        .await;
    assert_eq!(res.status(), 200);
    let filler = disk.fill();
    let (created, refused) = links_until_the_disk_refuses_for_good(&s, &app).await;
    let (writes, reads) = sqlite_unwritable(&app, &s).await;

    disk.free();
    let recovered = ready_again(&app).await;
    // The prepared link and exactly the ones answered 200: none lost, none invented.
    assert_eq!(count_links(&s.me).await, 1 + created);
    works_again(&app, &s, 1).await;
    eprintln!(
        "disk full ({filler} filler bytes): {created} links fitted and {refused} refused until \
         the refusals held; then 503s in {writes:?}; reads in {reads:?}; ready again after \
         {recovered:?}"
    );
}

/// Creates links, each answered 200 or 503 in time, until the disk refuses writes for
/// good; returns how many were created and refused. A refusal may pass: the background
/// checkpointer can still copy the log into free pages of the database file and let
/// the log start over. Once readiness has said 503 for longer than the checkpointer's
/// idle period, nothing is left to make room.
async fn links_until_the_disk_refuses_for_good(s: &Scene, app: &TestApp) -> (usize, usize) {
    let (mut created, mut refused) = (0, 0);
    for _ in 0..FULL_DISK_WRITES {
        let started = Instant::now();
        let res = new_link(s).await;
        let took = started.elapsed();
        assert!(took < ANSWER_WITHIN, "a link took {took:?} on a full disk");
        if res.status() == 200 {
            created += 1;
            continue;
        }
        expect_problem(res, 503, "service_unavailable").await;
        refused += 1;
        if stays_unready(app, REFUSALS_HOLD_FOR).await {
            return (created, refused);
        }
    }
    panic!("{created} links fitted and {refused} were refused, but the disk never stayed full");
}

/// Whether `/api/ready` answers 503 throughout `period`.
async fn stays_unready(app: &TestApp, period: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < period {
        match app.api().get("/api/ready").await.status().as_u16() {
            503 => tokio::time::sleep(Duration::from_millis(100)).await,
            200 => return false,
            other => panic!("ready answered {other}"),
        }
    }
    true
}

/// Longer than the SQLite checkpointer's idle interval (2 s).
const REFUSALS_HOLD_FOR: Duration = Duration::from_secs(3);

/// All of the caller's guest links, page by page.
async fn count_links(me: &Api) -> usize {
    let (mut count, mut before) = (0, String::new());
    loop {
        let page: Value = me
            .get(&format!("/api/guest-links?limit=500{before}"))
            .await
            .json()
            .await
            .unwrap();
        count += page["links"].as_array().unwrap().len();
        match page["nextBefore"].as_i64() {
            Some(id) => before = format!("&before={id}"),
            None => return count,
        }
    }
}

/// Enough links to outgrow whatever room SQLite's files already hold.
const FULL_DISK_WRITES: usize = 5_000;
