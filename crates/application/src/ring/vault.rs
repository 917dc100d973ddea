//! Ring refresh tokens at rest: sealed with the account and owner bound in.

use std::sync::Arc;

use latchkey_domain::{RingAccount, RingLinkStatus};
use latchkey_ports::{
    Clock, GatewayError, RingAccountStore, RingTokenVault, Secret, SecretBox, SecretBoxError,
};

use subtle::ConstantTimeEq;

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

    /// Opens a sealed token of `account` (bound to the account and its owner).
    fn open(&self, account: &RingAccount, sealed: &[u8]) -> Result<Vec<u8>, SecretBoxError> {
        self.secret_box
            .open(sealed, &token_aad(account.id, account.user_id))
    }

    async fn set_needs_relink(&self, account: &RingAccount) {
        if let Err(e) = self
            .accounts
            .set_ring_status(account.id, RingLinkStatus::NeedsRelink, self.clock.now())
            .await
        {
            tracing::warn!(account = %account.id, error = %e, "could not mark a Ring account for relinking");
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
        match self.open(account, &sealed) {
            Ok(bytes) => String::from_utf8(bytes)
                .map(|s| Some(Secret::new(s)))
                .map_err(|_| GatewayError::NeedsRelink),
            Err(_) => {
                // Wrong key (secret rotated without re-encryption) or a moved row: the
                // token is unusable, and only a new login can fix that.
                tracing::warn!(account = %account.id, "stored Ring token cannot be decrypted");
                self.set_needs_relink(account).await;
                Err(GatewayError::NeedsRelink)
            }
        }
    }

    async fn store_token(&self, account: &RingAccount, token: &Secret) -> Result<(), GatewayError> {
        self.save(account, token).await
    }

    async fn mark_needs_relink(&self, account: &RingAccount, refused: &Secret) {
        // A refresh refused just before a relink must not mark the new token: mark only
        // if the stored token still opens to `refused`, and only while those exact sealed
        // bytes are stored (the store compares and sets in one statement).
        let sealed = match self.accounts.ring_token(account.id).await {
            Ok(Some(sealed)) => sealed,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(account = %account.id, error = %e, "could not read a refused Ring token");
                return;
            }
        };
        let Ok(stored) = self.open(account, &sealed) else {
            // Unusable whatever happened: only a new login can fix it.
            self.set_needs_relink(account).await;
            return;
        };
        if !bool::from(stored.ct_eq(refused.expose().as_bytes())) {
            tracing::info!(account = %account.id, "a refused Ring token was already replaced; the account stays linked");
            return;
        }
        match self
            .accounts
            .mark_needs_relink_if_token(account.id, sealed, self.clock.now())
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::info!(account = %account.id, "a refused Ring token was replaced meanwhile; the account stays linked");
            }
            Err(e) => {
                tracing::warn!(account = %account.id, error = %e, "could not mark a Ring account for relinking");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use latchkey_domain::{AccountLabel, RingAccount, RingAccountId, RingLinkStatus, UserId};
    use latchkey_ports::ring_accounts::MockRingAccountStore;
    use latchkey_ports::{RingTokenVault, Secret, SecretBox};

    use super::SealedTokenVault;
    use crate::ring::secrets::token_aad;
    use crate::testing::{FixedClock, NOW, XorBox};

    fn account() -> RingAccount {
        RingAccount {
            id: RingAccountId(3),
            user_id: UserId(7),
            label: AccountLabel::parse("Home").unwrap(),
            is_default: true,
            hardware_id: "hw-1".into(),
            status: RingLinkStatus::Linked,
            created_at: NOW,
            updated_at: NOW,
        }
    }

    /// A vault whose store holds `stored` and expects `marks` compare-and-set marks of it.
    fn vault_storing(stored: &str, marks: usize) -> SealedTokenVault {
        let a = account();
        let sealed = XorBox
            .seal(stored.as_bytes(), &token_aad(a.id, a.user_id))
            .unwrap();
        let mut store = MockRingAccountStore::new();
        let expected = sealed.clone();
        store
            .expect_ring_token()
            .returning(move |_| Ok(Some(sealed.clone())));
        store
            .expect_mark_needs_relink_if_token()
            .withf(move |id, bytes, _| *id == RingAccountId(3) && *bytes == expected)
            .times(marks)
            .returning(|_, _, _| Ok(true));
        SealedTokenVault::new(Arc::new(store), Arc::new(XorBox), Arc::new(FixedClock(NOW)))
    }

    #[tokio::test]
    async fn a_refused_token_still_stored_marks_the_account() {
        let vault = vault_storing("old-token", 1);
        vault
            .mark_needs_relink(&account(), &Secret::new("old-token"))
            .await;
    }

    /// The demo's restart showed it: a health poll refused with the old token while the
    /// resident relinked, and the late mark left the new link "needs relink" (409).
    #[tokio::test]
    async fn a_token_relinked_since_the_refusal_is_not_marked() {
        let vault = vault_storing("new-token", 0);
        vault
            .mark_needs_relink(&account(), &Secret::new("old-token"))
            .await;
    }
}
