//! The race a guest link exists to win: two people pressing "open" on a single-use link
//! at the same moment. 1,000 rounds per store, each on a fresh link; never two doors.

use latchkey_blackbox::guest::{active_link, linked_resident, token_of, uses_of};
use latchkey_blackbox::{FRONT_DOOR, TestApp, on_both_stores};
use serde_json::json;

on_both_stores!(two_simultaneous_unlocks_of_a_single_use_link_never_both_succeed);

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
