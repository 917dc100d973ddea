//! What a resident (or an admin) sees of their intercoms, and the health poller.

use latchkey_domain::{Actor, IntercomId, RingAccount, RingLinkStatus, User};
use latchkey_ports::{GatewayError, HealthSnapshot, IntercomInfo};
use time::Duration;

use super::RingService;
use crate::AppError;

/// One account's intercoms, or why they could not be listed.
#[derive(Debug, Clone)]
pub struct AccountIntercoms {
    pub account: RingAccount,
    pub intercoms: Vec<IntercomInfo>,
    pub error: Option<GatewayError>,
}

#[derive(Debug, Clone)]
pub struct UserDevices {
    pub user: User,
    pub accounts: Vec<AccountIntercoms>,
}

impl RingService {
    /// GET /api/ring/status: configured when at least one account is linked.
    pub async fn status(&self, actor: Actor) -> Result<(bool, Vec<RingAccount>), AppError> {
        let accounts = self.accounts(actor).await?;
        Ok((
            accounts.iter().any(|a| a.status == RingLinkStatus::Linked),
            accounts,
        ))
    }

    /// GET /api/ring/summary: intercoms per account. One failing account does not hide
    /// the others: its error is reported in its entry.
    pub async fn summary(&self, actor: Actor) -> Result<Vec<AccountIntercoms>, AppError> {
        let accounts = self.accounts(actor).await?;
        Ok(self.list_intercoms(accounts).await)
    }

    async fn list_intercoms(&self, accounts: Vec<RingAccount>) -> Vec<AccountIntercoms> {
        let mut out = Vec::with_capacity(accounts.len());
        for account in accounts {
            let (intercoms, error) = match account.status {
                RingLinkStatus::Unlinked => (vec![], Some(GatewayError::NotLinked)),
                RingLinkStatus::NeedsRelink => (vec![], Some(GatewayError::NeedsRelink)),
                RingLinkStatus::Linked => match self.ports.gateway.intercoms(&account).await {
                    Ok(list) => (list, None),
                    Err(e) => (vec![], Some(e)),
                },
            };
            out.push(AccountIntercoms {
                account,
                intercoms,
                error,
            });
        }
        out
    }

    /// GET /api/admin/devices: every user with their accounts' intercoms.
    pub async fn all_devices(&self, actor: Actor) -> Result<Vec<UserDevices>, AppError> {
        actor.require_admin()?;
        let users = self.ports.users.list_users().await?;
        let all = self.ports.accounts.list_all_ring_accounts().await?;
        let mut out = Vec::with_capacity(users.len());
        for user in users {
            let mine: Vec<RingAccount> = all.iter().filter(|a| a.user_id == user.id).cloned().collect();
            let accounts = self.list_intercoms(mine).await;
            out.push(UserDevices { user, accounts });
        }
        Ok(out)
    }

    /// GET /api/ring/health/history: snapshots of one of the caller's intercoms.
    pub async fn health_history(
        &self,
        actor: Actor,
        intercom: IntercomId,
    ) -> Result<Vec<HealthSnapshot>, AppError> {
        let mut history = vec![];
        for account in self.accounts(actor).await? {
            history.extend(
                self.ports
                    .health
                    .health_history(account.id, intercom, 500)
                    .await?,
            );
        }
        history.sort_by_key(|h| std::cmp::Reverse(h.taken_at));
        Ok(history)
    }

    /// One pass of the background poller: a snapshot per intercom of every linked
    /// account, then pruning of snapshots older than `retention`. Returns how many
    /// snapshots were taken.
    pub async fn poll_health(&self, retention: Duration) -> Result<usize, AppError> {
        let now = self.ports.clock.now();
        let mut taken = 0;
        for account in self.ports.accounts.list_all_ring_accounts().await? {
            if account.status != RingLinkStatus::Linked {
                continue;
            }
            let intercoms = match self.ports.gateway.intercoms(&account).await {
                Ok(list) => list,
                Err(e) => {
                    tracing::info!(account = %account.id, error = %e, "health poll: cannot list intercoms");
                    continue;
                }
            };
            for intercom in intercoms {
                let health = self
                    .ports
                    .gateway
                    .health(&account, intercom.id)
                    .await
                    .unwrap_or_default();
                let snapshot = HealthSnapshot {
                    ring_account_id: account.id,
                    intercom_id: intercom.id,
                    taken_at: self.ports.clock.now(),
                    online: health.online.or(intercom.online),
                    battery_percent: health.battery_percent.or(intercom.battery_percent),
                    signal_dbm: health.signal_dbm,
                    firmware: health.firmware.or(intercom.firmware),
                };
                self.ports.health.record_health(snapshot).await?;
                taken += 1;
            }
        }
        self.ports.health.prune_health(now - retention).await?;
        Ok(taken)
    }
}
