//! The race a guest link exists to win: two people pressing "open" on a single-use link
//! at the same moment. 1,000 rounds per store, each on a fresh link; never two doors.
//! And its Ring-side twin: many requests needing a token refresh at once share one.

use std::time::Duration;

use futures::future::join_all;
use latchkey_blackbox::guest::{active_link, linked_resident, token_of, uses_of};
use latchkey_blackbox::{Api, FRONT_DOOR, TestApp, on_both_stores};
use latchkey_ring_sim::{Endpoint, Fault};
use serde_json::json;

on_both_stores!(
    two_simultaneous_unlocks_of_a_single_use_link_never_both_succeed,
    twenty_concurrent_unlocks_after_a_restart_share_one_ring_refresh
);

const ROUNDS: u64 = 1_000;

async fn two_simultaneous_unlocks_of_a_single_use_link_never_both_succeed(app: TestApp) {
    let (me, account) = linked_resident(&app, "pair").await;
    // 1,000 link creations and 2,000 unlocks in a minute or two: lift both limits.
    let res = app
        .admin()
        .await
        .post(
            "/api/admin/limits",
            json!({"guestPerMinute": 100_000, "authPerMinute": 100_000}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let sim = app.sim.handle();
    let doors_before = sim.unlock_calls(FRONT_DOOR);
    // Two clients, so the pair never queues behind one connection.
    let (first, second) = (reqwest::Client::new(), reqwest::Client::new());
    let mut last_link = None;
    for round in 0..ROUNDS {
        let link = active_link(&me, account, Some(1)).await;
        let url = app.url(&format!("/api/guest/{}/unlock", token_of(&link)));
        let (a, b) = tokio::join!(first.post(&url).send(), second.post(&url).send());
        let mut got = [a.unwrap().status().as_u16(), b.unwrap().status().as_u16()];
        got.sort_unstable();
        assert_eq!(got, [200, 410], "round {round}");
        last_link = Some(link);
    }
    assert_eq!(
        sim.unlock_calls(FRONT_DOOR) - doors_before,
        ROUNDS,
        "Ring saw exactly one door opening per round"
    );
    let last = last_link.unwrap();
    assert_eq!(uses_of(&me, &last["id"]).await, 1);
}

/// A restarted server knows no Ring access token; 20 residents' requests arriving at once
/// must share one refresh (Ring rotates refresh tokens: a second refresh with the same
/// token would fail and unlink the account).
async fn twenty_concurrent_unlocks_after_a_restart_share_one_ring_refresh(mut app: TestApp) {
    let (me, _) = linked_resident(&app, "crowd").await;
    assert_eq!(me.get("/api/ring/summary").await.status(), 200);
    let sim = app.sim.handle().clone();
    let (refreshes, doors) = (sim.counters().refresh_grants, sim.unlock_calls(FRONT_DOOR));
    // The new process's start-up health poll refreshes first; Ring takes 1.5 s to answer
    // (the tests' Ring timeout is 2 s), so the 20 unlocks below, sent at once with the
    // session that survives the restart, arrive while that refresh is in flight.
    sim.inject_times(Endpoint::Token, Fault::latency(Duration::from_millis(1500)), 1);
    app.restart().await;
    let me = Api {
        base: app.base.clone(),
        ..me
    };
    let statuses = join_all((0..20).map(|_| async {
        me.post("/api/ring/unlock", json!({"intercomId": FRONT_DOOR}))
            .await
            .status()
            .as_u16()
    }))
    .await;
    assert_eq!(statuses, vec![200; 20]);
    assert_eq!(
        sim.counters().refresh_grants - refreshes,
        1,
        "one refresh for the whole new process"
    );
    assert_eq!(sim.unlock_calls(FRONT_DOOR) - doors, 20);
}
