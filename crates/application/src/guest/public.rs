//! The public side: what a guest holding a token may see and do.
//!
//! Unlocking takes a use with one conditional update before Ring is called, committed
//! together with the attempt's audit row (outcome `unknown`), and settles that row once
//! Ring has answered. When the door did not open (or may not have) the use is given
//! back, so a guest who sees an error can try again. Every attempt, refused or not,
//! leaves one audit row naming the link by id — never by token — except while the store
//! is unavailable: once it has said so in a request, that request asks it nothing more
//! (no give-back, no audit row; the log has the attempt), so the guest gets the 503
//! within one store timeout, not three.

use latchkey_domain::{
    GuestLink, GuestLinkState, GuestUnlockRefusal, RingAccount, UnlockActor, UnlockOutcome,
};
use latchkey_ports::{GuestAttempt, NewUnlockEvent, PendingUnlock, Reservation, StoreError, UnlockFailure};

use super::GuestService;
use super::token::GuestToken;
use crate::ring::error_code;
use crate::{AppError, ClientInfo};

/// A link as its guest sees it.
#[derive(Debug, Clone)]
pub struct GuestView {
    pub link: GuestLink,
    pub state: GuestLinkState,
}

const NOT_FOUND: AppError = AppError::NotFound {
    resource: "guest link",
};

/// What the audit row of one guest attempt says.
struct Attempt<'a> {
    link: Option<&'a GuestLink>,
    outcome: UnlockOutcome,
    /// The stable code the guest got, when the door did not open.
    code: Option<String>,
}

/// The code of a request the rate limit refused (the HTTP layer answers 429 with it).
pub const RATE_LIMITED_CODE: &str = "rate_limited";

impl GuestService {
    /// GET /api/guest/:token and the guest page. Never changes anything.
    pub async fn view(&self, token: &GuestToken) -> Result<GuestView, AppError> {
        if !token.is_well_formed() {
            return Err(NOT_FOUND);
        }
        let link = self
            .ports
            .links
            .find_guest_link_by_token(&token.hash())
            .await?
            .ok_or(NOT_FOUND)?;
        Ok(GuestView {
            state: link.state(self.ports.clock.now()),
            link,
        })
    }

    /// POST /api/guest/:token/unlock.
    pub async fn unlock(&self, token: &GuestToken, client: ClientInfo) -> Result<(), AppError> {
        let reservation = if token.is_well_formed() {
            let attempt = GuestAttempt {
                at: self.ports.clock.now(),
                ip: client.ip.clone(),
                user_agent: client.user_agent.clone(),
            };
            self.ports.links.reserve_guest_use(&token.hash(), &attempt).await
        } else {
            Ok(Reservation::Unknown)
        };
        let (link, account, pending) = match reservation {
            Ok(Reservation::Reserved {
                link,
                account,
                pending,
            }) => (link, account, pending),
            Ok(Reservation::Unknown) => {
                self.audit(&client, Attempt::failed(None, &NOT_FOUND)).await;
                return Err(NOT_FOUND);
            }
            Ok(Reservation::Refused(link)) => {
                // The store refused, so the link was unusable when it looked; its state
                // says why. A link that looks active was refused for its owner or
                // account (the store reads those as disabled) or changed meanwhile.
                let refusal = link
                    .check_unlock(self.ports.clock.now())
                    .err()
                    .unwrap_or(GuestUnlockRefusal::Disabled);
                let error = AppError::GuestUnlockRefused(refusal);
                self.audit(&client, Attempt::failed(Some(&link), &error)).await;
                return Err(error);
            }
            Err(e) => {
                let error = AppError::from(e);
                if error == AppError::Unavailable {
                    tracing::warn!("guest unlock refused: the store is unavailable; not audited");
                } else {
                    self.audit(&client, Attempt::failed(None, &error)).await;
                }
                return Err(error);
            }
        };

        let Err(error) = self.open_door(&link, &account).await else {
            self.settle(&link, pending, UnlockOutcome::Opened, None).await;
            return Ok(());
        };
        let outcome = match error {
            DoorError::MayHaveOpened(_) => UnlockOutcome::Unknown,
            DoorError::Failed(_) => UnlockOutcome::Failed,
        };
        let error = error.app_error().clone();
        // Settle first: on PostgreSQL the give-back's durable commit then flushes the
        // settle's lazy one too.
        let settled = self
            .settle(&link, pending, outcome, Some(error_code(&error)))
            .await;
        if settled {
            self.release(&link).await;
        } else {
            tracing::warn!(
                link_id = link.id.0,
                "guest link use kept: the store is unavailable"
            );
        }
        Err(error)
    }

    /// A public guest request refused by the per-IP rate limit, before any lookup.
    pub async fn record_rate_limited(&self, client: ClientInfo) {
        let attempt = Attempt {
            link: None,
            outcome: UnlockOutcome::Failed,
            code: Some(RATE_LIMITED_CODE.to_owned()),
        };
        self.audit(&client, attempt).await;
    }

    async fn open_door(&self, link: &GuestLink, account: &RingAccount) -> Result<(), DoorError> {
        // Links are made on their owner's own accounts; anything else is not a door
        // this link may open.
        if account.user_id != link.owner_id || account.id != link.ring_account_id {
            return Err(DoorError::Failed(AppError::GuestUnlockRefused(
                GuestUnlockRefusal::Disabled,
            )));
        }
        self.ports
            .gateway
            .unlock(account, link.intercom_id)
            .await
            .map_err(
                |UnlockFailure {
                     error,
                     door_may_have_opened,
                 }| {
                    if door_may_have_opened {
                        DoorError::MayHaveOpened(AppError::Ring(error))
                    } else {
                        DoorError::Failed(AppError::Ring(error))
                    }
                },
            )
    }

    /// Gives the use back. If that fails the use stays taken: a guest loses one try,
    /// which is the safe side for a door.
    async fn release(&self, link: &GuestLink) {
        if let Err(e) = self.ports.links.release_guest_use(link.id).await {
            tracing::error!(link_id = link.id.0, error = %e, "could not give back a guest link use");
        }
    }

    /// Records what became of a reserved attempt. Like [`audit`](Self::audit), a
    /// failure is logged, not returned (the row then keeps saying `unknown`); `false`
    /// when the store said it is unavailable, so the request asks it nothing more.
    async fn settle(
        &self,
        link: &GuestLink,
        pending: PendingUnlock,
        outcome: UnlockOutcome,
        code: Option<String>,
    ) -> bool {
        match self.ports.audit.settle_unlock(pending, outcome, code).await {
            Ok(()) => true,
            Err(e) => {
                tracing::error!(link_id = link.id.0, error = %e, "could not settle a guest unlock audit row");
                !matches!(e, StoreError::Unavailable(_))
            }
        }
    }

    /// Writes the audit row. A failure is logged, not returned: the guest's answer must
    /// say what happened to the door, and a door that opened did open.
    async fn audit(&self, client: &ClientInfo, attempt: Attempt<'_>) {
        let link = attempt.link;
        let event = NewUnlockEvent {
            occurred_at: self.ports.clock.now(),
            actor: UnlockActor::Guest {
                link_id: link.map(|l| l.id.0),
            },
            owner_id: link.map(|l| l.owner_id),
            ring_account_id: link.map(|l| l.ring_account_id),
            intercom_id: link.map(|l| l.intercom_id),
            outcome: attempt.outcome,
            error_code: attempt.code,
            ip: client.ip.clone(),
            user_agent: client.user_agent.clone(),
        };
        if let Err(e) = self.ports.audit.record_unlock(event).await {
            tracing::error!(link_id = ?link.map(|l| l.id.0), error = %e, "could not write a guest unlock audit row");
        }
    }
}

impl<'a> Attempt<'a> {
    fn failed(link: Option<&'a GuestLink>, error: &'a AppError) -> Self {
        Self {
            link,
            outcome: UnlockOutcome::Failed,
            code: Some(error_code(error)),
        }
    }
}

enum DoorError {
    /// The door did not open.
    Failed(AppError),
    /// The request reached Ring and the answer was lost.
    MayHaveOpened(AppError),
}

impl DoorError {
    fn app_error(&self) -> &AppError {
        match self {
            DoorError::Failed(e) | DoorError::MayHaveOpened(e) => e,
        }
    }
}
