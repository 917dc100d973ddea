//! PostgreSQL goes away under the running server: its connections cut or blackholed
//! through a proxy, or the cluster itself stopped and started again.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures::future::join_all;
use latchkey_blackbox::{Backend, FRONT_DOOR, PrivatePg, TcpProxy, TestApp};
use latchkey_ring_sim::{Endpoint, Fault};

use super::{
    ANSWER_WITHIN, doors_opened, guest_unlock, postgres_gone, prepare, ready_again, unavailable, works_again,
};

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

/// PostgreSQL itself is stopped under the running server (`pg_ctl stop -m fast`: every
/// session is told "terminating connection due to administrator command" and closed,
/// new connections are refused), while guest views and `me` keep coming: every answer
/// is 200 or 503, never a 500; once stopped, the same six requests answer 503 in time;
/// after `pg_ctl start` the same process is ready again and counts uses exactly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_answers_503_and_the_server_recovers_when_it_starts() {
    let Some(pg) = PrivatePg::start() else {
        return;
    };
    let pg = Arc::new(pg);
    let app = TestApp::spawn_on_database(Backend::Postgres, &pg.url()).await;
    let s = prepare(&app, "stopped").await;

    let stop = AtomicBool::new(false);
    let view = format!("/api/guest/{}", s.token);
    let client = || async {
        let mut answers = BTreeMap::<u16, u32>::new();
        while !stop.load(Ordering::Relaxed) {
            for res in [app.api().get(&view).await, s.me.get("/api/auth/me").await] {
                *answers.entry(res.status().as_u16()).or_default() += 1;
            }
        }
        answers
    };
    // Several clients at once, so that queries are in flight when the cluster stops.
    let traffic = async {
        let mut answers = BTreeMap::<u16, u32>::new();
        for one in join_all((0..CLIENTS_DURING_THE_STOP).map(|_| client())).await {
            for (status, n) in one {
                *answers.entry(status).or_default() += n;
            }
        }
        answers
    };
    let stopping = async {
        // Requests keep coming while the cluster goes down (pg_ctl waits on its own
        // thread, so the clients above go on meanwhile).
        tokio::time::sleep(Duration::from_millis(200)).await;
        let cluster = pg.clone();
        tokio::task::spawn_blocking(move || cluster.stop()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        stop.store(true, Ordering::Relaxed);
    };
    let (answers, ()) = tokio::join!(traffic, stopping);
    assert!(
        answers.keys().all(|status| [200, 503].contains(status)),
        "while PostgreSQL stopped: {answers:?}"
    );
    assert!(
        answers.contains_key(&200) && answers.contains_key(&503),
        "{answers:?}"
    );
    let times = postgres_gone(&app, &s).await;

    let cluster = pg.clone();
    tokio::task::spawn_blocking(move || cluster.start_again())
        .await
        .unwrap();
    let recovered = ready_again(&app).await;
    works_again(&app, &s, 1).await;
    eprintln!(
        "stopped: answers during the stop {answers:?}; 503s in {times:?}; ready again after {recovered:?}"
    );
}

/// Concurrent clients while PostgreSQL stops.
const CLIENTS_DURING_THE_STOP: usize = 8;
