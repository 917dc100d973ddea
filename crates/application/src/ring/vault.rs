//! Ring refresh tokens at rest: sealed with the account and owner bound in.

use std::sync::Arc;

use latchkey_domain::{RingAccount, RingLinkStatus};
use latchkey_ports::{Clock, GatewayError, RingAccountStore, RingTokenVault, Secret, SecretBox};

use super::secrets::token_aad;

pub struct SealedTokenVault {
    accounts: Arc<dyn RingAccountStore>,
    secret_box: Arc<dyn SecretBox>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for SealedTokenVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealedTokenVault")
    }
}

impl SealedTokenVault {
    pub fn new(
        accounts: Arc<dyn RingAccountStore>,
        secret_box: Arc<dyn SecretBox>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            accounts,
            secret_box,
            clock,
        }
    }

    /// Seals and stores `token` as the account's current one, marking it linked.
    pub async fn save(&self, account: &RingAccount, token: &Secret) -> Result<(), GatewayError> {
        let sealed = self
            .secret_box
            .seal(token.expose().as_bytes(), &token_aad(account.id, account.user_id))
            .map_err(|_| GatewayError::Storage)?;
        self.accounts
            .save_ring_token(account.id, sealed, RingLinkStatus::Linked, self.clock.now())
            .await
            .map_err(|e| {
                tracing::warn!(account = %account.id, error = %e, "could not store a Ring token");
                GatewayError::Storage
            })
    }
}

#[async_trait::async_trait]
impl RingTokenVault for SealedTokenVault {
    async fn load_token(&self, account: &RingAccount) -> Result<Option<Secret>, GatewayError> {
        let sealed = self
            .accounts
            .ring_token(account.id)
            .await
            .map_err(|_| GatewayError::Storage)?;
        let Some(sealed) = sealed else { return Ok(None) };
        match self
            .secret_box
            .open(&sealed, &token_aad(account.id, account.user_id))
        {
            Ok(bytes) => String::from_utf8(bytes)
                .map(|s| Some(Secret::new(s)))
                .map_err(|_| GatewayError::NeedsRelink),
            Err(_) => {
                // Wrong key (secret rotated without re-encryption) or a moved row: the
                // token is unusable, and only a new login can fix that.
                tracing::warn!(account = %account.id, "stored Ring token cannot be decrypted");
                self.mark_needs_relink(account).await;
                Err(GatewayError::NeedsRelink)
            }
        }
    }

    async fn store_token(&self, account: &RingAccount, token: &Secret) -> Result<(), GatewayError> {
        self.save(account, token).await
    }

    async fn mark_needs_relink(&self, account: &RingAccount) {
        if let Err(e) = self
            .accounts
            .set_ring_status(account.id, RingLinkStatus::NeedsRelink, self.clock.now())
            .await
        {
            tracing::warn!(account = %account.id, error = %e, "could not mark a Ring account for relinking");
        }
    }
}
