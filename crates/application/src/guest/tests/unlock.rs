//! Viewing and unlocking through a link: counting, refusals, refunds, audit.

use super::*;

/// The store takes a use of a link with one left; Ring is called once and times out.
fn ring_times_out(m: &mut M, door_may_have_opened: bool) {
    m.links
        .expect_reserve_guest_use()
        .returning(|_, _| Ok(reserved(link(Some(1), 1))));
    m.gateway.expect_unlock().times(1).returning(move |_, _| {
        Err(UnlockFailure {
            error: GatewayError::Timeout,
            door_may_have_opened,
        })
    });
}

async fn unlock_error(m: M) -> AppError {
    m.service()
        .unlock(&GuestToken::new(TOKEN), client())
        .await
        .unwrap_err()
}

#[tokio::test]
async fn unlock_opens_once_and_settles_the_row_written_with_the_use() {
    let mut m = M::default();
    m.links
        .expect_reserve_guest_use()
        .withf(|hash, attempt| {
            hash == GuestToken::new(TOKEN).hash()
                && attempt.at == NOW
                && attempt.ip.as_deref() == Some("198.51.100.7")
                && attempt.user_agent.as_deref() == Some("phone")
        })
        .times(1)
        .returning(|_, _| Ok(reserved(link(Some(5), 1))));
    // The reservation brought the account: nothing is read between it and Ring.
    m.accounts.expect_get_ring_account().never();
    m.gateway
        .expect_unlock()
        .times(1)
        .withf(|account, door| account.id == RingAccountId(3) && *door == DOOR)
        .returning(|_, _| Ok(()));
    m.links.expect_release_guest_use().never();
    // The row the reservation wrote (with the link, client and time) is settled.
    m.settled(|pending, outcome, code| {
        pending == PENDING && outcome == UnlockOutcome::Opened && code.is_none()
    });
    m.service()
        .unlock(&GuestToken::new(TOKEN), client())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_ring_failure_gives_the_use_back() {
    for (door_may_have_opened, outcome) in [(false, UnlockOutcome::Failed), (true, UnlockOutcome::Unknown)] {
        let mut m = M::default();
        ring_times_out(&mut m, door_may_have_opened);
        m.links
            .expect_release_guest_use()
            .withf(|id| *id == GuestLinkId(11))
            .times(1)
            .returning(|_| Ok(()));
        m.settled(move |pending, o, code| pending == PENDING && o == outcome && code == Some("ring_timeout"));
        assert_eq!(unlock_error(m).await, AppError::Ring(GatewayError::Timeout));
    }
}

#[tokio::test]
async fn refused_links_say_why_and_never_reach_ring() {
    let mut expired = link(None, 0);
    expired.expires_at = NOW;
    let mut pending = link(None, 0);
    pending.starts_at = NOW + Duration::minutes(1);
    // Looks active but the store refused: its owner or account is gone.
    let cases = [
        (expired, GuestUnlockRefusal::Expired),
        (pending, GuestUnlockRefusal::NotYetActive),
        (link(Some(3), 3), GuestUnlockRefusal::UsedUp),
        (link(None, 0), GuestUnlockRefusal::Disabled),
    ];
    for (l, refusal) in cases {
        let mut m = M::default();
        m.links
            .expect_reserve_guest_use()
            .returning(move |_, _| Ok(Reservation::Refused(l.clone())));
        m.audited(move |e| {
            e.actor == UnlockActor::Guest { link_id: Some(11) }
                && e.outcome == UnlockOutcome::Failed
                && e.error_code.as_deref() == Some(refusal.code())
        });
        let err = m
            .service()
            .unlock(&GuestToken::new(TOKEN), client())
            .await
            .unwrap_err();
        assert_eq!(err, AppError::GuestUnlockRefused(refusal));
    }
}

#[tokio::test]
async fn unknown_and_malformed_tokens_are_not_found_and_still_audited() {
    let mut m = M::default();
    m.links
        .expect_reserve_guest_use()
        .times(1)
        .returning(|_, _| Ok(Reservation::Unknown));
    m.audit
        .expect_record_unlock()
        .times(2)
        .withf(|e| {
            e.actor == UnlockActor::Guest { link_id: None } && e.error_code.as_deref() == Some("not_found")
        })
        .returning(|_| Ok(()));
    let s = m.service();
    let not_found = AppError::NotFound {
        resource: "guest link",
    };
    assert_eq!(
        s.unlock(&GuestToken::new(TOKEN), client()).await.unwrap_err(),
        not_found
    );
    // Malformed: answered without asking the store.
    assert_eq!(
        s.unlock(&GuestToken::new("short"), client()).await.unwrap_err(),
        not_found
    );
}

#[tokio::test]
async fn a_reserved_link_on_someone_elses_account_gives_the_use_back_and_never_reaches_ring() {
    let mut m = M::default();
    m.links.expect_reserve_guest_use().returning(|_, _| {
        let mut theirs = account();
        theirs.user_id = UserId(ME.user_id.0 + 1);
        Ok(Reservation::Reserved {
            link: link(None, 1),
            account: theirs,
            pending: PENDING,
        })
    });
    m.gateway.expect_unlock().never();
    m.links.expect_release_guest_use().times(1).returning(|_| Ok(()));
    m.settled(|_, outcome, code| outcome == UnlockOutcome::Failed && code == Some("link_disabled"));
    let err = m
        .service()
        .unlock(&GuestToken::new(TOKEN), client())
        .await
        .unwrap_err();
    assert_eq!(err, AppError::GuestUnlockRefused(GuestUnlockRefusal::Disabled));
}

#[tokio::test]
async fn rate_limited_attempts_are_audited_without_a_lookup() {
    let mut m = M::default();
    m.audited(|e| {
        e.actor == UnlockActor::Guest { link_id: None } && e.error_code.as_deref() == Some("rate_limited")
    });
    m.service().record_rate_limited(client()).await;
}

#[tokio::test]
async fn view_never_takes_a_use() {
    let mut m = M::default();
    m.links
        .expect_find_guest_link_by_token()
        .returning(|_| Ok(Some(link(Some(2), 1))));
    m.links.expect_reserve_guest_use().never();
    let v = m.service().view(&GuestToken::new(TOKEN)).await.unwrap();
    assert_eq!(v.state, GuestLinkState::Active);
}

#[tokio::test]
async fn a_store_outage_at_the_reservation_is_unavailable_and_asks_the_store_nothing_more() {
    let mut m = M::default();
    m.links
        .expect_reserve_guest_use()
        .times(1)
        .returning(|_, _| Err(StoreError::Unavailable("connection refused".into())));
    m.gateway.expect_unlock().never();
    m.audit.expect_record_unlock().never();
    let err = m
        .service()
        .unlock(&GuestToken::new(TOKEN), client())
        .await
        .unwrap_err();
    assert_eq!(err, AppError::Unavailable);
}

#[tokio::test]
async fn a_failed_door_is_settled_before_the_use_is_given_back() {
    // On PostgreSQL the settle commits lazily and the give-back durably, flushing both.
    let mut m = M::default();
    let mut order = mockall::Sequence::new();
    ring_times_out(&mut m, false);
    m.audit
        .expect_settle_unlock()
        .times(1)
        .in_sequence(&mut order)
        .returning(|_, _, _| Ok(()));
    m.links
        .expect_release_guest_use()
        .times(1)
        .in_sequence(&mut order)
        .returning(|_| Ok(()));
    m.audit.expect_record_unlock().never();
    assert_eq!(unlock_error(m).await, AppError::Ring(GatewayError::Timeout));
}

#[tokio::test]
async fn a_store_outage_at_the_settle_keeps_the_use_and_still_says_what_ring_said() {
    let mut m = M::default();
    ring_times_out(&mut m, true);
    m.audit
        .expect_settle_unlock()
        .times(1)
        .returning(|_, _, _| Err(StoreError::Unavailable("connection refused".into())));
    // Asked nothing more: the use stays taken (the safe side) and the row says `unknown`.
    m.links.expect_release_guest_use().never();
    m.audit.expect_record_unlock().never();
    assert_eq!(unlock_error(m).await, AppError::Ring(GatewayError::Timeout));
}

#[tokio::test]
async fn an_opened_door_is_a_success_even_when_its_settle_fails() {
    let mut m = M::default();
    m.links
        .expect_reserve_guest_use()
        .returning(|_, _| Ok(reserved(link(None, 1))));
    m.gateway.expect_unlock().returning(|_, _| Ok(()));
    m.audit
        .expect_settle_unlock()
        .times(1)
        .returning(|_, _, _| Err(StoreError::Other("disk full".into())));
    m.links.expect_release_guest_use().never();
    m.audit.expect_record_unlock().never();
    m.service()
        .unlock(&GuestToken::new(TOKEN), client())
        .await
        .unwrap();
}
