//! POST /api/ring/unlock: a resident opens their own door. Every attempt is audited,
//! except one stopped because the store could not answer: it cannot take the audit row
//! either, and Ring was not called (the log has the attempt). An audit row that cannot
//! be written after Ring answered is logged, and the answer still says what the door did.

use latchkey_domain::{Actor, IntercomId, RingAccount, RingAccountId, UnlockActor, UnlockOutcome};
use latchkey_ports::{NewUnlockEvent, UnlockFailure};

use super::RingService;
use crate::{AppError, ClientInfo};

#[derive(Debug, Clone)]
pub struct UnlockRequest {
    pub intercom: IntercomId,
    pub ring_account_id: Option<RingAccountId>,
    pub client: ClientInfo,
}

/// The stable code an audit row carries for a failure: the same code the client got.
pub(crate) fn error_code(e: &AppError) -> String {
    match e {
        AppError::Ring(g) => g.code(),
        AppError::NotFound { .. } => "not_found",
        AppError::GuestUnlockRefused(r) => r.code(),
        AppError::Unavailable => "service_unavailable",
        _ => "internal_error",
    }
    .to_owned()
}

impl RingService {
    pub async fn unlock(&self, actor: Actor, req: UnlockRequest) -> Result<(), AppError> {
        let account = self.unlock_account(actor, req.ring_account_id).await;
        if let Err(AppError::Unavailable) = &account {
            tracing::warn!(
                user_id = actor.user_id.0,
                "unlock stopped: the store is unavailable; not audited"
            );
            return Err(AppError::Unavailable);
        }
        let (outcome, error) = match &account {
            Err(e) => (UnlockOutcome::Failed, Some(e.clone())),
            Ok(account) => match self.ports.gateway.unlock(account, req.intercom).await {
                Ok(()) => (UnlockOutcome::Opened, None),
                Err(UnlockFailure {
                    error,
                    door_may_have_opened,
                }) => {
                    let outcome = if door_may_have_opened {
                        UnlockOutcome::Unknown
                    } else {
                        UnlockOutcome::Failed
                    };
                    (outcome, Some(AppError::Ring(error)))
                }
            },
        };
        let account = account.ok();
        // The answer must say what the door did: a resident told "503" after the door
        // opened would press again. A lost audit row is logged instead (as for guests).
        let recorded = self
            .ports
            .audit
            .record_unlock(NewUnlockEvent {
                occurred_at: self.ports.clock.now(),
                actor: UnlockActor::User(actor.user_id),
                owner_id: Some(actor.user_id),
                ring_account_id: account.as_ref().map(|a| a.id).or(req.ring_account_id),
                intercom_id: Some(req.intercom),
                outcome,
                error_code: error.as_ref().map(error_code),
                ip: req.client.ip,
                user_agent: req.client.user_agent,
            })
            .await;
        if let Err(e) = recorded {
            tracing::error!(user_id = actor.user_id.0, ?outcome, error = %e, "could not write an unlock audit row");
        }
        match error {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }

    /// The given account (the caller's own) or the caller's default one.
    async fn unlock_account(&self, actor: Actor, id: Option<RingAccountId>) -> Result<RingAccount, AppError> {
        match id {
            Some(id) => self.account(actor, id).await,
            None => self
                .accounts(actor)
                .await?
                .into_iter()
                .find(|a| a.is_default)
                .ok_or(AppError::NotFound {
                    resource: "ring account",
                }),
        }
    }
}
