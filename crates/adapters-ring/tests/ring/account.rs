//! RingAccountSession: single-flight refresh, persist-before-use, proactive and reactive
//! refresh, lazy and rate-limited session creation.

use std::sync::Arc;
use std::time::Duration;

use latchkey_ring::{RingAccountSession, RingError, RingSecret, SessionPolicy};
use latchkey_ring_sim::{Endpoint, Fault};
use serde_json::json;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_calls_share_one_refresh_and_one_session() {
    let sim = start();
    let account = Arc::new(account(&sim, RecordingSink::new(&sim)));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let account = Arc::clone(&account);
            tokio::spawn(async move { account.devices().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().intercoms.len(), 2);
    }
    let counters = sim.handle().counters();
    assert_eq!(counters.refresh_grants, 1);
    assert_eq!(counters.sessions_created, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_refresh_is_shared_too() {
    let sim = start();
    let account = Arc::new(account(&sim, RecordingSink::new(&sim)));
    sim.handle().inject(Endpoint::Token, Fault::status(503));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let account = Arc::clone(&account);
            tokio::spawn(async move { account.locations().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(
            task.await.unwrap().unwrap_err(),
            RingError::Unavailable { status: 503 }
        );
    }
    assert_eq!(
        sim.handle().counters().refresh_grants,
        1,
        "no refresh storm while Ring is down"
    );
}

#[tokio::test]
async fn rotated_token_is_persisted_before_the_new_access_token_is_used() {
    let sim = start();
    let sink = RecordingSink::new(&sim);
    let original = sim.handle().issue_refresh_token(EMAIL).unwrap();
    let account = RingAccountSession::new(
        client(&sim),
        hid(),
        RingSecret::from(original.as_str()),
        sink.clone(),
    );
    account.locations().await.unwrap();

    let saved = sink.saved();
    assert_eq!(saved.len(), 1);
    let (rotated, seq_at_persist) = &saved[0];
    assert_ne!(rotated, &original);
    let location_call = sim.handle().requests_to(Endpoint::Locations).pop().unwrap();
    assert!(
        location_call.seq >= *seq_at_persist,
        "the API call happened after the sink stored the token"
    );

    // The old token is dead (single-use rotation) and the stored one is the live one.
    let client = client(&sim);
    let old = client.refresh_grant(&hid(), &RingSecret::from(original)).await;
    assert_eq!(old.unwrap_err(), RingError::NeedsRelink);
    assert!(
        client
            .refresh_grant(&hid(), &RingSecret::from(rotated.as_str()))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn failed_persist_holds_the_new_tokens_back_until_they_are_stored() {
    let sim = start();
    let sink = RecordingSink::new(&sim);
    let account = account(&sim, sink.clone());
    sink.set_failing(true);
    let error = account.locations().await.unwrap_err();
    assert!(matches!(error, RingError::PersistFailed(_)), "{error:?}");
    assert_eq!(
        sim.handle().counters().requests_to(Endpoint::Locations),
        0,
        "new access token not used"
    );

    // Still failing: no second refresh (it would burn the unstored token), no API call.
    assert!(matches!(
        account.locations().await,
        Err(RingError::PersistFailed(_))
    ));
    assert_eq!(sim.handle().counters().refresh_grants, 1);

    sink.set_failing(false);
    account.locations().await.unwrap();
    let counters = sim.handle().counters();
    assert_eq!(
        counters.refresh_grants, 1,
        "the held-back tokens were stored and used"
    );
    assert_eq!(counters.requests_to(Endpoint::Locations), 1);
    assert_eq!(sink.saved().len(), 1);
}

#[tokio::test]
async fn refreshes_proactively_before_expiry() {
    // Tokens live 3 s; with a 2 s margin they count as fresh for 1 s.
    let sim = start_with(sim_config().with_token_expires_in_secs(3));
    let policy = SessionPolicy {
        refresh_margin: Duration::from_secs(2),
        ..SessionPolicy::default()
    };
    let account = account(&sim, RecordingSink::new(&sim)).with_policy(policy);
    account.locations().await.unwrap();
    account.locations().await.unwrap();
    assert_eq!(sim.handle().counters().refresh_grants, 1, "token still fresh");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    account.locations().await.unwrap();
    let counters = sim.handle().counters();
    assert_eq!(
        counters.refresh_grants, 2,
        "refreshed inside the margin, before Ring expired it"
    );
    assert_eq!(
        counters.requests_to(Endpoint::Locations),
        3,
        "no call was rejected"
    );
}

#[tokio::test]
async fn a_401_refreshes_once_and_retries_once() {
    let sim = start();
    let account = account(&sim, RecordingSink::new(&sim));
    account.locations().await.unwrap();
    sim.handle().expire_access_tokens();
    account.locations().await.unwrap();
    let counters = sim.handle().counters();
    assert_eq!(counters.refresh_grants, 2);
    assert_eq!(counters.requests_to(Endpoint::Locations), 3);

    sim.handle().inject(
        Endpoint::Locations,
        Fault::json(401, &json!({"error": "Unauthorized"})),
    );
    assert_eq!(account.locations().await.unwrap_err(), RingError::Unauthorized);
    let counters = sim.handle().counters();
    assert_eq!(counters.refresh_grants, 3, "exactly one refresh");
    assert_eq!(counters.requests_to(Endpoint::Locations), 5, "exactly one retry");
}

#[tokio::test]
async fn revoked_refresh_token_needs_relink_and_stops_calling_ring() {
    let sim = start();
    let account = account(&sim, RecordingSink::new(&sim));
    sim.handle().revoke_refresh_tokens(EMAIL).unwrap();
    assert_eq!(account.devices().await.unwrap_err(), RingError::NeedsRelink);
    assert!(account.needs_relink().await);
    assert_eq!(account.locations().await.unwrap_err(), RingError::NeedsRelink);
    assert_eq!(sim.handle().counters().refresh_grants, 1);
}

#[tokio::test]
async fn session_is_created_lazily_and_renewed_only_when_old() {
    let sim = start();
    let policy = SessionPolicy {
        session_renew_after: Duration::from_secs(1),
        session_min_interval: Duration::ZERO,
        ..SessionPolicy::default()
    };
    let account = account(&sim, RecordingSink::new(&sim)).with_policy(policy);
    account.locations().await.unwrap();
    assert_eq!(
        sim.handle().counters().sessions_created,
        0,
        "locations need no session"
    );
    account.devices().await.unwrap();
    account.device_health(door()).await.unwrap();
    assert_eq!(sim.handle().counters().sessions_created, 1);
    tokio::time::sleep(Duration::from_millis(1050)).await;
    account.devices().await.unwrap();
    account.devices().await.unwrap();
    assert_eq!(sim.handle().counters().sessions_created, 2);
    assert_eq!(sim.handle().counters().requests_to(Endpoint::Session), 2);
}

#[tokio::test]
async fn session_creation_is_rate_limited_when_ring_keeps_forgetting() {
    // Sessions that expire at once: every clients_api call gets the 404.
    let sim = start_with(sim_config().with_session_ttl_secs(0));
    let account = account(&sim, RecordingSink::new(&sim));
    for _ in 0..3 {
        assert_eq!(account.devices().await.unwrap_err(), RingError::SessionNotFound);
    }
    assert_eq!(
        sim.handle().counters().requests_to(Endpoint::Session),
        1,
        "at most one per minute"
    );
}

#[tokio::test]
async fn with_tokens_uses_the_login_tokens_without_refreshing() {
    let sim = start();
    let client = client(&sim);
    let tokens = client
        .password_grant(&hid(), EMAIL, &RingSecret::from(PASSWORD), None)
        .await
        .unwrap();
    let sink = RecordingSink::new(&sim);
    let account = RingAccountSession::with_tokens(client, hid(), tokens, sink.clone());
    account.locations().await.unwrap();
    assert_eq!(sim.handle().counters().refresh_grants, 0);
    assert!(sink.saved().is_empty());
    assert!(!format!("{account:?}").contains("ey_"));
}
