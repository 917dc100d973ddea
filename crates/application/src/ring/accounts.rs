//! /api/ring/accounts: a resident's linked Ring accounts.

use latchkey_domain::{AccountLabel, Actor, RingAccount, RingAccountId};
use latchkey_ports::NewRingAccount;

use super::RingService;
use super::secrets::new_hardware_id;
use crate::AppError;

impl RingService {
    pub async fn accounts(&self, actor: Actor) -> Result<Vec<RingAccount>, AppError> {
        Ok(self.ports.accounts.list_ring_accounts(actor.user_id).await?)
    }

    pub async fn account(&self, actor: Actor, id: RingAccountId) -> Result<RingAccount, AppError> {
        self.ports
            .accounts
            .get_ring_account(id, actor.user_id)
            .await
            .map_err(AppError::store("ring account"))
    }

    pub async fn create_account(&self, actor: Actor, label: &str) -> Result<RingAccount, AppError> {
        let label = AccountLabel::parse(label).map_err(|e| AppError::validation("label", e))?;
        self.create_with_label(actor, label).await
    }

    pub(super) async fn create_with_label(
        &self,
        actor: Actor,
        label: AccountLabel,
    ) -> Result<RingAccount, AppError> {
        let hardware_id = new_hardware_id(&self.ports.random.token());
        let new = NewRingAccount {
            user_id: actor.user_id,
            label,
            hardware_id,
            now: self.ports.clock.now(),
        };
        self.ports
            .accounts
            .create_ring_account(new)
            .await
            .map_err(AppError::store("user"))
    }

    /// Renames and/or makes default. Unsetting the default is refused: a user with
    /// accounts always has exactly one, chosen by making another one default.
    pub async fn update_account(
        &self,
        actor: Actor,
        id: RingAccountId,
        label: Option<&str>,
        is_default: Option<bool>,
    ) -> Result<RingAccount, AppError> {
        let label = label
            .map(AccountLabel::parse)
            .transpose()
            .map_err(|e| AppError::validation("label", e))?;
        let current = self.account(actor, id).await?;
        if is_default == Some(false) && current.is_default {
            return Err(AppError::validation(
                "isDefault",
                "one account is always the default: make another account the default instead",
            ));
        }
        let now = self.ports.clock.now();
        self.ports
            .accounts
            .update_ring_account(id, actor.user_id, label, is_default == Some(true), now)
            .await
            .map_err(AppError::store("ring account"))
    }

    /// Soft delete: the row stays for the audit trail, its token is erased.
    pub async fn delete_account(&self, actor: Actor, id: RingAccountId) -> Result<(), AppError> {
        let now = self.ports.clock.now();
        self.ports
            .accounts
            .delete_ring_account(id, actor.user_id, now)
            .await
            .map_err(AppError::store("ring account"))?;
        self.ports.gateway.forget(id).await;
        Ok(())
    }
}
