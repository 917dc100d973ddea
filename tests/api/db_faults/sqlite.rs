//! SQLite cannot write under the running server: another process holds its write
//! lock, or its disk is full.

use std::time::{Duration, Instant};

use latchkey_blackbox::guest::set_limits;
use latchkey_blackbox::{Api, SmallDisk, SqliteWriteLock, TestApp, expect_problem};
use serde_json::{Value, json};

use super::{
    ANSWER_WITHIN, Scene, doors_opened, guest_unlock, login, new_link, prepare, ready_again, still_ok,
    unavailable, works_again,
};

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
    set_limits(&app, json!({"authPerMinute": 1_000_000})).await;
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
