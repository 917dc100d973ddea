//! Tokens: loaded from the vault, rotations stored before use, one session and one refresh per
//! account, refused links marked once, `forget` reloading.

use std::sync::Arc;

use latchkey_ports::{GatewayError, IntercomGateway, UnlockFailure};
use latchkey_ring::{RingClient, RingClientConfig, RingError, RingSecret};
use latchkey_ring_sim::Endpoint;

use crate::support::*;

#[tokio::test]
async fn without_a_token_the_account_is_not_linked_and_ring_is_not_called() {
    let sim = start();
    let vault = MemoryVault::new(&sim);
    let gateway = gateway(&sim, &vault);
    let account = account();
    assert_eq!(gateway.intercoms(&account).await, Err(GatewayError::NotLinked));
    assert_eq!(
        gateway.health(&account, latchkey_domain::IntercomId(DOOR)).await,
        Err(GatewayError::NotLinked)
    );
    assert_eq!(
        gateway.unlock(&account, latchkey_domain::IntercomId(DOOR)).await,
        Err(UnlockFailure {
            error: GatewayError::NotLinked,
            door_may_have_opened: false
        })
    );
    assert!(sim.handle().requests().is_empty());
}

#[tokio::test]
async fn a_rotated_token_is_stored_before_use_and_survives_a_restart() {
    let sim = start();
    let (vault, original) = linked_vault(&sim);
    let account = account();
    gateway(&sim, &vault).intercoms(&account).await.unwrap();

    let stored = vault.stored();
    assert_eq!(stored.len(), 1);
    let (rotated, seq_at_store) = &stored[0];
    assert_ne!(rotated, &original);
    assert_eq!(vault.token(account.id).as_ref(), Some(rotated));
    let devices_call = sim.handle().requests_to(Endpoint::Devices).pop().unwrap();
    assert!(
        devices_call.seq >= *seq_at_store,
        "Ring saw the new token only after the vault stored it"
    );

    // Single-use rotation: the original is dead now.
    let client = RingClient::new(RingClientConfig::new(sim.base_url(), sim.base_url())).unwrap();
    let hid = latchkey_ring::HardwareId::new(HID).unwrap();
    let old = client.refresh_grant(&hid, &RingSecret::from(original)).await;
    assert_eq!(old.unwrap_err(), RingError::NeedsRelink);

    // A new process (new gateway, same vault) continues from the stored token.
    let restarted = gateway(&sim, &vault);
    assert_eq!(restarted.intercoms(&account).await.unwrap().len(), 2);
    assert_eq!(vault.stored().len(), 2, "the restart's rotation was stored too");
    assert!(vault.relink_marks().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_first_uses_share_one_session_and_one_refresh() {
    let sim = start();
    let (vault, _) = linked_vault(&sim);
    let gateway = Arc::new(gateway(&sim, &vault));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let gateway = Arc::clone(&gateway);
            tokio::spawn(async move { gateway.intercoms(&account()).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().len(), 2);
    }
    let counters = sim.handle().counters();
    assert_eq!(counters.refresh_grants, 1);
    assert_eq!(counters.sessions_created, 1);
    assert_eq!(vault.loads(), 1, "one session built from one vault read");
    assert_eq!(vault.stored().len(), 1);
}

#[tokio::test]
async fn a_failed_store_holds_the_new_token_back() {
    let sim = start();
    let (vault, _) = linked_vault(&sim);
    let gateway = gateway(&sim, &vault);
    let account = account();
    vault.fail_stores(true);
    assert_eq!(gateway.intercoms(&account).await, Err(GatewayError::Storage));
    assert_eq!(
        sim.handle().counters().requests_to(Endpoint::Devices),
        0,
        "unstored token not used"
    );

    vault.fail_stores(false);
    gateway.intercoms(&account).await.unwrap();
    assert_eq!(
        sim.handle().counters().refresh_grants,
        1,
        "the held-back token was stored, not re-fetched"
    );
    assert_eq!(vault.stored().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_marks_the_account_once_and_stops_calling_ring() {
    let sim = start();
    let (vault, _) = linked_vault(&sim);
    let gateway = Arc::new(gateway(&sim, &vault));
    sim.handle().revoke_refresh_tokens(EMAIL).unwrap();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let gateway = Arc::clone(&gateway);
            tokio::spawn(async move { gateway.intercoms(&account()).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), Err(GatewayError::NeedsRelink));
    }
    assert_eq!(vault.relink_marks(), vec![account().id]);
    assert_eq!(sim.handle().counters().refresh_grants, 1);

    // The session is gone: the next call reads the vault again, finds the refused token, and
    // neither calls Ring nor marks again.
    let loads = vault.loads();
    assert_eq!(
        gateway.intercoms(&account()).await,
        Err(GatewayError::NeedsRelink)
    );
    assert_eq!(vault.loads(), loads + 1);
    assert_eq!(sim.handle().counters().refresh_grants, 1);
    assert_eq!(vault.relink_marks().len(), 1);

    // Relinking puts a new token in the vault; `forget` makes the next call use it.
    let relinked = sim.handle().issue_refresh_token(EMAIL).unwrap();
    vault.put(account().id, &relinked);
    gateway.forget(account().id).await;
    assert_eq!(gateway.intercoms(&account()).await.unwrap().len(), 2);
    let refresh = sim.handle().requests_to(Endpoint::Token).pop().unwrap();
    assert_eq!(refresh.json_body().unwrap()["refresh_token"], relinked.as_str());
    assert_eq!(vault.relink_marks().len(), 1);
}

#[tokio::test]
async fn a_new_token_in_the_vault_is_used_even_without_forget() {
    let sim = start();
    let (vault, _) = linked_vault(&sim);
    let gateway = gateway(&sim, &vault);
    sim.handle().revoke_refresh_tokens(EMAIL).unwrap();
    assert_eq!(
        gateway.intercoms(&account()).await,
        Err(GatewayError::NeedsRelink)
    );
    vault.put(account().id, &sim.handle().issue_refresh_token(EMAIL).unwrap());
    assert_eq!(gateway.intercoms(&account()).await.unwrap().len(), 2);
}

#[tokio::test]
async fn forget_drops_the_cached_session_so_the_vault_is_read_again() {
    let sim = start();
    let (vault, _) = linked_vault(&sim);
    let gateway = gateway(&sim, &vault);
    let account = account();
    gateway.intercoms(&account).await.unwrap();
    gateway.intercoms(&account).await.unwrap();
    assert_eq!(vault.loads(), 1, "cached");
    assert_eq!(sim.handle().counters().refresh_grants, 1);

    gateway.forget(account.id).await;
    gateway.intercoms(&account).await.unwrap();
    assert_eq!(vault.loads(), 2);
    assert_eq!(
        sim.handle().counters().refresh_grants,
        2,
        "the reloaded token was refreshed"
    );
    // Forgetting an account that was never used is harmless.
    gateway.forget(latchkey_domain::RingAccountId(999)).await;
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let sim = start();
    let (vault, token) = linked_vault(&sim);
    let gateway = gateway(&sim, &vault);
    gateway.intercoms(&account()).await.unwrap();
    let debug = format!("{gateway:?}");
    assert!(debug.contains("cached_accounts: 1"), "{debug}");
    assert!(!debug.contains(&token));
    for (stored, _) in vault.stored() {
        assert!(!debug.contains(&stored));
    }
}
